"""gateway analyzers."""
