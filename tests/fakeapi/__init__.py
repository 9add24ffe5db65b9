"""A loopback fake Kubernetes API server for tests."""
