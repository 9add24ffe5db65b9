"""deprecation analyzers."""
