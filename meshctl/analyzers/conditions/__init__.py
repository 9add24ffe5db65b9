"""conditions analyzers."""
