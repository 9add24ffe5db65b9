"""Telemetry analyzers."""
