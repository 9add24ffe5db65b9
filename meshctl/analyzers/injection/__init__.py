"""Sidecar injection analyzers."""
