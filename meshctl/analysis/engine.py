"""The one rule engine: run rules (analyzers, precheck checks) over what they read.

A rule whose inputs the source could not serve is skipped, with the reason; a rule that raises
becomes one IST0001 message naming it (its partial findings are dropped) and the run goes on.
Every message a rule returns is tagged with the rule's name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple, TypeVar

from meshctl.analysis.context import Context, Environment
from meshctl.analysis.message import Message
from meshctl.analysis.registry import Analyzer
from meshctl.snapshot import Snapshot

INTERNAL_ERROR = "IST0001"

R = TypeVar("R")


class RunReport(NamedTuple):
    """Messages from a run, and the rules that were skipped (with why)."""

    messages: list[Message]
    skipped: dict[str, str]


def internal_error(rule: str, exc: BaseException, origin: str | None = None) -> Message:
    """The IST0001 message for a rule that raised ``exc`` (about ``origin``, else the rule)."""
    return Message.build(INTERNAL_ERROR, None, {"analyzer": rule, "detail": f"{type(exc).__name__}: {exc}"},
                         rule, origin=origin or rule)


def run_rules(rules: Iterable[R], name: Callable[[R], str], skip_reason: Callable[[R], str | None],
              call: Callable[[R], Iterable[Message]], error_origin: str | None = None) -> RunReport:
    """Run each rule: ``skip_reason`` (None to run it), then ``call`` for its messages."""
    from meshctl.deadline import DeadlineExceeded
    from meshctl.env import current

    deadline = current().deadline
    messages: list[Message] = []
    skipped: dict[str, str] = {}
    for rule in rules:
        rule_name = name(rule)
        why = skip_reason(rule)
        if why is not None:
            skipped[rule_name] = why
            continue
        try:
            with deadline.running(f"running {rule_name}"):
                found = list(call(rule))
        except DeadlineExceeded:
            raise  # running out of time is a tool failure (exit 1), never a finding
        except Exception as exc:  # noqa: BLE001 - a rule's bug must not stop the run
            found = [internal_error(rule_name, exc, error_origin)]
        messages.extend(m if m.analyzer == rule_name else m.with_analyzer(rule_name) for m in found)
    return RunReport(messages, skipped)


def needed_kinds(analyzers: Iterable[type[Analyzer]]) -> set[str]:
    """Every kind key the given analyzers declare as input."""
    return {kind for a in analyzers for kind in a.inputs}


def run_analyzers(snapshot: Snapshot, analyzers: Iterable[type[Analyzer]], env: Environment,
                  unavailable: frozenset[str] = frozenset()) -> RunReport:
    """Run each analyzer; skip those whose input kinds the source could not serve."""

    def skip_reason(analyzer: type[Analyzer]) -> str | None:
        missing = sorted(set(analyzer.inputs) & unavailable)
        return f"kinds not served: {', '.join(missing)}" if missing else None

    def call(analyzer: type[Analyzer]) -> list[Message]:
        ctx = Context(snapshot, env, analyzer.name, analyzer.inputs)
        analyzer().analyze(ctx)
        return ctx.messages

    return run_rules(analyzers, lambda a: a.name, skip_reason, call)
