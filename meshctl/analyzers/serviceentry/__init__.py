"""serviceentry analyzers."""
