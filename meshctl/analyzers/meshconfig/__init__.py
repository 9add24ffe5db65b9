"""Mesh config analyzers: proxy metadata and configuration scoping."""
