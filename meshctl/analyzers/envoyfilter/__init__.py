"""envoyfilter analyzers."""
