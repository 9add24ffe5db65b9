"""Human formats: istioctl's log lines and a plain table."""

from __future__ import annotations

from meshctl.analysis.message import Message
from meshctl.analysis.result import Result


def render_log(result: Result) -> str:
    """One istioctl-style line per message, or a note that nothing was found."""
    shown = result.shown
    if not shown:
        return "\u2714 No validation issues found when analyzing the given configuration.\n"
    return "".join(m.rendered() + "\n" for m in shown)


def _row(m: Message) -> list[str]:
    return [m.level.label, m.code, m.origin, m.reference or "-", m.text]


def render_table(result: Result) -> str:
    """Aligned columns: LEVEL, CODE, RESOURCE, LOCATION, MESSAGE."""
    rows = [["LEVEL", "CODE", "RESOURCE", "LOCATION", "MESSAGE"], *(_row(m) for m in result.shown)]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    return "".join("   ".join([*(c.ljust(w) for c, w in zip(r[:4], widths, strict=False)), r[4]]).rstrip() + "\n"
                   for r in rows)
