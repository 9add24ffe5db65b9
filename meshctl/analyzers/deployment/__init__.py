"""deployment analyzers."""
