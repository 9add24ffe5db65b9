"""Precheck's human output: grouped ✔ / ⚠ / ✖ lines on a terminal, plain lines otherwise; --list."""

from __future__ import annotations

from collections.abc import Sequence

from meshctl import ISTIO_VERSION
from meshctl.analysis.message import Message
from meshctl.analysis.result import Result
from meshctl.catalogue import Level
from meshctl.precheck.registry import Check

PASS, WARN, FAIL, SKIP = "\u2714", "\u26a0", "\u2716", "-"
_COLOURS = {PASS: "32", WARN: "33", FAIL: "31", SKIP: "2"}


def _paint(mark: str, color: bool) -> str:
    return f"\x1b[{_COLOURS[mark]}m{mark}\x1b[0m" if color else mark


def _mark(chk: Check, messages: Sequence[Message], result: Result) -> str:
    if chk.name in result.skipped:
        return SKIP
    if any(m.level >= result.failure_threshold for m in messages):
        return FAIL
    return WARN if any(m.level >= Level.WARNING for m in messages) else PASS


def _check_lines(chk: Check, result: Result, color: bool) -> list[str]:
    messages = [m for m in result.shown if m.analyzer == chk.name]
    mark = _mark(chk, messages, result)
    title = chk.hint.rstrip(".")
    lines = [f"{_paint(mark, color)} {title}"]
    if mark == SKIP:
        lines.append(f"    skipped: {result.skipped[chk.name]}")
    lines += [f"    {m.rendered()}" for m in messages]
    if mark in (WARN, FAIL):
        lines.append(f"    see {chk.docs} for hints")
    return lines


def render_grouped(result: Result, checks: Sequence[Check], color: bool) -> str:
    """linkerd-check style: a heading per category, one marked line per check, findings indented."""
    ran = [c for c in checks if c.name in set(result.analyzers)]
    out: list[str] = []
    for category in dict.fromkeys(c.category for c in ran):
        out += ["", category, "-" * len(category)]
        for chk in (c for c in ran if c.category == category):
            out += _check_lines(chk, result, color)
    out += ["", _summary(result, ran)]
    return "\n".join(out).lstrip("\n") + "\n"


def _summary(result: Result, checks: Sequence[Check]) -> str:
    failing = sum(1 for m in result.messages if m.level >= result.failure_threshold)
    if failing:
        return f"Status check results are {FAIL}: {failing} finding(s) block installing Istio {ISTIO_VERSION}"
    return f"Status check results are {PASS}: no issues block installing Istio {ISTIO_VERSION}"


def render_plain(result: Result) -> str:
    """istioctl-style lines, one per finding and one per skipped check; a single line when clean."""
    lines = [m.rendered() for m in result.shown]
    lines += [f"Skipped [{name}] {why}" for name, why in sorted(result.skipped.items())]
    if not result.shown:
        lines.append(f"No issues found; nothing blocks installing Istio {ISTIO_VERSION}.")
    return "".join(line + "\n" for line in lines)


LIST_COLUMNS = (("NAME", "name"), ("CATEGORY", "category"), ("HINT", "hint"), ("DOCS", "docs"))


def check_rows(checks: Sequence[Check]) -> list[dict[str, object]]:
    """One row per check: name, category, hint, docs link and codes."""
    return [{"name": c.name, "category": c.category, "hint": c.hint, "docs": c.docs, "codes": list(c.codes)}
            for c in checks]


def render_list(checks: Sequence[Check], fmt: str) -> str:
    """``--list``: the checks through the rule-list renderer of ``analyze --list-analyzers``."""
    from meshctl.analysis.listing import render_rule_list

    return render_rule_list(check_rows(checks), fmt, LIST_COLUMNS)
