"""pytest fixtures for the fake API server (filled in by the fake API server work)."""
