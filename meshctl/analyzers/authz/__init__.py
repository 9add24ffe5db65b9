"""authz analyzers."""
