"""Kubernetes Gateway API analyzers."""
