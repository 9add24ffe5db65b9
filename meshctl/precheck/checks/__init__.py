"""Precheck checks, one small module per category; each registers itself with ``@check``."""
