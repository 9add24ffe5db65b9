"""destinationrule analyzers."""
