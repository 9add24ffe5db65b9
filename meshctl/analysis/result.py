"""The outcome of a run: suppressed, de-duplicated, sorted messages and the exit status."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import NamedTuple

from meshctl.analysis.message import Message
from meshctl.catalogue import Level
from meshctl.errors import ExitCode, UsageError
from meshctl.resource import Resource

SUPPRESS_ANNOTATION = "galley.istio.io/analyze-suppress"


class Suppression(NamedTuple):
    """``CODE=Kind ns/name``, with globs in code and resource."""

    code: str
    resource: str

    @classmethod
    def parse(cls, text: str) -> Suppression:
        """Parse one ``-S`` value."""
        code, sep, resource = text.partition("=")
        if not sep or not code.strip() or not resource.strip():
            raise UsageError(f"bad suppression {text!r}: use CODE=Kind ns/name (globs allowed)")
        return cls(code.strip(), resource.strip())

    def matches(self, message: Message) -> bool:
        """Whether this suppression hides the message."""
        return fnmatch.fnmatchcase(message.code, self.code) and fnmatch.fnmatchcase(message.origin, self.resource)


def annotation_suppressed(resources: Iterable[Resource]) -> dict[str, set[str]]:
    """Codes suppressed by each resource's annotation, keyed by its friendly name."""
    out: dict[str, set[str]] = {}
    for res in resources:
        value = res.annotations.get(SUPPRESS_ANNOTATION)
        if value:
            out[res.friendly_name()] = {c.strip() for c in str(value).split(",") if c.strip()}
    return out


class Result(NamedTuple):
    """Messages to show, with the thresholds that decide output and exit status."""

    messages: list[Message]
    failure_threshold: Level = Level.ERROR
    output_threshold: Level = Level.INFO
    skipped: Mapping[str, str] = MappingProxyType({})
    analyzers: Sequence[str] = ()
    not_run: Mapping[str, str] = MappingProxyType({})
    """Checks that could not run because a read failed (name -> why): never a pass."""
    allow_partial: bool = False
    notes: Sequence[str] = ()
    """Lines for stderr about how the sources were read (denied access, failed reads, broken CRDs)."""

    @property
    def shown(self) -> list[Message]:
        """Messages at or above the output threshold."""
        return [m for m in self.messages if m.level >= self.output_threshold]

    @property
    def exit_code(self) -> ExitCode:
        """1 when checks did not run (unless partial results are allowed); else 79 when any message
        reaches the failure threshold, 0 otherwise."""
        if self.not_run and not self.allow_partial:
            return ExitCode.FAILURE
        failing = any(m.level >= self.failure_threshold for m in self.messages)
        return ExitCode.FINDINGS if failing else ExitCode.OK


def finalize(messages: Iterable[Message], suppressions: Sequence[Suppression] = (),
             by_annotation: dict[str, set[str]] | None = None) -> list[Message]:
    """Drop suppressed messages and exact duplicates; sort by origin, code and text."""
    by_annotation = by_annotation or {}
    seen: set[tuple[object, ...]] = set()
    kept: list[Message] = []
    for msg in messages:
        codes = by_annotation.get(msg.origin, set())
        if "*" in codes or msg.code in codes:
            continue
        if any(s.matches(msg) for s in suppressions):
            continue
        key = msg.dedup_key()
        if key in seen:
            continue
        seen.add(key)
        kept.append(msg)
    return sorted(kept, key=lambda m: (m.origin, m.code, m.text, m.reference))
