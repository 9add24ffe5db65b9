"""Envoy tables are rendered by the one output layer, ``meshctl.report.data``: Go ``text/tabwriter``
alignment (as istioctl prints), row tables, and JSON/YAML of rows. The names stay importable here."""

from __future__ import annotations

from meshctl.report.data import Columns, Row, cell, render_data, table, tabwrite

#: Rows (or a dict of row lists) as JSON or YAML.
render_rows = render_data

__all__ = ["Columns", "Row", "cell", "render_rows", "table", "tabwrite"]
