"""virtualservice analyzers."""
