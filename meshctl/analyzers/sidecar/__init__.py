"""sidecar analyzers."""
