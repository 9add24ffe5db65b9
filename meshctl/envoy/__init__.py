"""Envoy's configuration: the config_dump model, row builders and pure renderers."""
