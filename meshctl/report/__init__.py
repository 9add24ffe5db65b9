"""Renderers: pure functions from a Result to text, one module per format."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from meshctl.errors import UsageError

if TYPE_CHECKING:
    from meshctl.analysis.result import Result


#: Output format -> (module under meshctl.report, function): each module imported only when used.
RENDERERS: dict[str, tuple[str, str]] = {
    "log": ("text", "render_log"),
    "table": ("text", "render_table"),
    "json": ("structured", "render_json"),
    "yaml": ("structured", "render_yaml"),
    "sarif": ("sarif", "render_sarif"),
    "junit": ("junit", "render_junit"),
}


def renderer(fmt: str) -> Callable[[Result], str]:
    """The renderer for an output format name."""
    import importlib

    try:
        module, name = RENDERERS[fmt]
    except KeyError:
        raise UsageError(f"unknown output format {fmt!r}; use one of {', '.join(RENDERERS)}") from None
    render: Callable[[Result], str] = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    return render


def chunks(fmt: str) -> Callable[[Result], Iterable[str]]:
    """Like ``renderer``, but yields the text in pieces where a format can (JSON), to bound memory."""
    if fmt == "json":
        from meshctl.report import structured

        return structured.stream_json
    render = renderer(fmt)
    return lambda result: [render(result)]
