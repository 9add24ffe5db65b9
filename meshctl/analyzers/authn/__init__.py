"""authn analyzers."""
