"""traffic analyzers."""
