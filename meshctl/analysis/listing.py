"""Rule lists (``analyze --list-analyzers``, ``precheck --list``): one renderer for every rule kind."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from meshctl.analysis.registry import all_analyzers
from meshctl.report.data import Columns, render_data, table

ANALYZER_COLUMNS: Columns = (("NAME", "name"), ("CODES", "codes"), ("DEFAULT", "default"),
                             ("DESCRIPTION", "description"))


def analyzer_rows() -> list[dict[str, Any]]:
    """One row per registered analyzer."""
    return [{"name": a.name, "codes": list(a.codes), "inputs": list(a.inputs),
             "default": a.default, "description": a.description()}
            for a in all_analyzers().values()]


def render_rule_list(rows: Sequence[dict[str, Any]], fmt: str, columns: Columns) -> str:
    """Rules as JSON or YAML (every key of each row), or as a table of ``columns``."""
    if fmt in ("json", "yaml"):
        return render_data(list(rows), fmt)
    return table(rows, columns)


def render_analyzer_list(fmt: str) -> str:
    """The analyzer list as JSON/YAML, or aligned text."""
    return render_rule_list(analyzer_rows(), fmt, ANALYZER_COLUMNS)
