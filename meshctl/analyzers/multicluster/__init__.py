"""Multi-cluster analyzers (mesh networks, services across clusters)."""
