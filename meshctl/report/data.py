"""The one output layer for results that are not findings: aligned tables, JSON and YAML.

Every command that prints plain data (lists, what it changed, versions, Envoy tables) renders
it here, so ``-o json`` and ``-o yaml`` look the same everywhere: JSON indented by two spaces,
YAML in block style, keys in the order given, never folded.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

#: The formats of ``-o`` for commands whose results are plain data.
DATA_FORMATS = ("table", "json", "yaml")
#: YAML lines are never folded (a long message or hint stays on one line).
YAML_WIDTH = 1 << 16

Row = dict[str, Any]
Columns = Sequence[tuple[str, str]]  # (header, row key)


def to_json(data: Any) -> str:
    """JSON indented by two spaces, with a final newline; values JSON lacks become strings."""
    import json

    return json.dumps(data, indent=2, default=str) + "\n"


def to_yaml(data: Any) -> str:
    """Block-style YAML in the order given, never folded."""
    import yaml

    return str(yaml.safe_dump(data, sort_keys=False, default_flow_style=False, width=YAML_WIDTH))


def render_data(data: Any, fmt: str) -> str:
    """``data`` as JSON (``fmt == "json"``) or YAML (anything else)."""
    return to_json(data) if fmt == "json" else to_yaml(data)


def tabwrite(lines: Sequence[Sequence[str]], padding: int) -> str:
    """Align cells like Go's tabwriter (as istioctl prints): every cell but a line's last is
    padded to its column's width plus ``padding``."""
    widths: dict[int, int] = {}
    for cells in lines:
        for index, text in enumerate(cells[:-1]):
            widths[index] = max(widths.get(index, 0), len(text) + padding)
    out = []
    for cells in lines:
        parts = [text.ljust(widths[i]) for i, text in enumerate(cells[:-1])]
        parts.append(cells[-1] if cells else "")
        out.append("".join(parts))
    return "".join(line + "\n" for line in out)


def cell(value: Any) -> str:
    """A table cell: lists joined with commas, booleans as true/false, None as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    return str(value)


def table(rows: Sequence[Row], columns: Columns, padding: int = 3) -> str:
    """Rows under their headers, aligned with ``padding`` spaces between columns."""
    lines = [[header for header, _ in columns]]
    lines += [[cell(row.get(key)) for _, key in columns] for row in rows]
    return tabwrite(lines, padding)
