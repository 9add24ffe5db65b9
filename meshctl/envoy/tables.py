"""Pure renderers: Go ``text/tabwriter`` alignment (as istioctl prints) and row tables."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

Row = dict[str, Any]
Columns = Sequence[tuple[str, str]]  # (header, row key)


def tabwrite(lines: Sequence[Sequence[str]], padding: int) -> str:
    """Align cells like Go's tabwriter: every cell but a line's last is padded to its column."""
    widths: dict[int, int] = {}
    for cells in lines:
        for index, cell in enumerate(cells[:-1]):
            widths[index] = max(widths.get(index, 0), len(cell) + padding)
    out = []
    for cells in lines:
        parts = [cell.ljust(widths[i]) for i, cell in enumerate(cells[:-1])]
        parts.append(cells[-1] if cells else "")
        out.append("".join(parts))
    return "".join(line + "\n" for line in out)


def cell(value: Any) -> str:
    """A table cell: lists joined with commas, None as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    return str(value)


def table(rows: Sequence[Row], columns: Columns, padding: int) -> str:
    """Rows under headers, aligned like istioctl's tabwriter with ``padding``."""
    lines = [[header for header, _ in columns]]
    lines += [[cell(row.get(key)) for _, key in columns] for row in rows]
    return tabwrite(lines, padding)


def render_rows(rows: Any, output: str) -> str:
    """Rows (or a dict of row lists) as JSON or YAML."""
    if output == "json":
        return json.dumps(rows, indent=2, default=str) + "\n"
    import yaml

    return str(yaml.safe_dump(rows, sort_keys=False, default_flow_style=False, width=1 << 16))
