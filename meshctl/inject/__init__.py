"""Sidecar injection: the injector as a pure function, iptables, check-inject and namespace labels."""
