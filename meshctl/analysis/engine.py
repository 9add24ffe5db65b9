"""Run analyzers over a snapshot. An analyzer that raises becomes IST0001; the run goes on."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from meshctl.analysis.context import Context, Environment
from meshctl.analysis.message import Message
from meshctl.analysis.registry import Analyzer
from meshctl.snapshot import Snapshot


@dataclass(frozen=True)
class RunReport:
    """Messages from a run, and the analyzers that were skipped (with why)."""

    messages: list[Message]
    skipped: dict[str, str]


def needed_kinds(analyzers: Iterable[type[Analyzer]]) -> set[str]:
    """Every kind key the given analyzers declare as input."""
    return {kind for a in analyzers for kind in a.inputs}


def run_analyzers(snapshot: Snapshot, analyzers: Iterable[type[Analyzer]], env: Environment,
                  unavailable: frozenset[str] = frozenset()) -> RunReport:
    """Run each analyzer; skip those whose input kinds the source could not serve."""
    messages: list[Message] = []
    skipped: dict[str, str] = {}
    for analyzer in analyzers:
        missing = sorted(set(analyzer.inputs) & unavailable)
        if missing:
            skipped[analyzer.name] = f"kinds not served: {', '.join(missing)}"
            continue
        ctx = Context(snapshot, env, analyzer.name, analyzer.inputs)
        try:
            analyzer().analyze(ctx)
        except Exception as exc:  # noqa: BLE001 - an analyzer bug must not stop the run
            ctx.messages = [Message.build("IST0001", None, {"analyzer": analyzer.name,
                                                            "detail": f"{type(exc).__name__}: {exc}"},
                                          analyzer.name, origin=analyzer.name)]
        messages.extend(ctx.messages)
    return RunReport(messages, skipped)
