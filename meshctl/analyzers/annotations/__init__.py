"""annotations analyzers."""
