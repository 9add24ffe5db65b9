"""Analyzers, one per file, grouped by resource folder; registered with @register."""
