"""webhook analyzers."""
