"""WorkloadGroup analyzers."""
