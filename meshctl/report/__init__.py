"""Renderers: pure functions from a Result to text, one module per format."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from meshctl.errors import UsageError

if TYPE_CHECKING:
    from meshctl.analysis.result import Result


def renderer(fmt: str) -> Callable[[Result], str]:
    """The renderer for an output format name."""
    from meshctl.report import junit, sarif, structured, text

    table: dict[str, Callable[[Result], str]] = {
        "log": text.render_log,
        "table": text.render_table,
        "json": structured.render_json,
        "yaml": structured.render_yaml,
        "sarif": sarif.render_sarif,
        "junit": junit.render_junit,
    }
    try:
        return table[fmt]
    except KeyError:
        raise UsageError(f"unknown output format {fmt!r}; use one of {', '.join(table)}") from None


def chunks(fmt: str) -> Callable[[Result], Iterable[str]]:
    """Like ``renderer``, but yields the text in pieces where a format can (JSON), to bound memory."""
    from meshctl.report import structured

    if fmt == "json":
        return structured.stream_json
    render = renderer(fmt)
    return lambda result: [render(result)]
