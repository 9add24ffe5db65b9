"""Kubernetes' and Istio's conventions, in one place: label and annotation names, label selectors,
what counts as an Istio webhook or a sidecar, and wildcard host names.

Modules here are pure (no I/O, no cluster client) and cheap to import.
"""
