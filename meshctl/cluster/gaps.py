"""What a read of the cluster could not get, and what that means for the checks. Pure.

Two kinds of gap, one rule each:

* **denied** (403): a known limit of the user's access. Analysis goes on with what is readable,
  stderr says once which kinds/namespaces were unreadable and which checks that weakens; the exit
  status is the findings' unless ``--strict-access``.
* **failed** (5xx after retries, 410 on every continue, bodies that never decode, discovery that
  failed): the checks that need the kind did not run. They are listed in the report, and the exit
  status is 1 unless ``--allow-partial``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple


class ReadGap(NamedTuple):
    """One kind (in one namespace, or at the cluster scope when None) that could not be read."""

    kind: str
    namespace: str | None
    reason: str

    @property
    def scope(self) -> str:
        """``namespace NS`` or ``all namespaces``/``the cluster scope``."""
        return f"namespace {self.namespace}" if self.namespace else "the cluster scope"


def gap_kinds(gaps: Iterable[ReadGap]) -> frozenset[str]:
    """The kinds that have a gap."""
    return frozenset(g.kind for g in gaps)


def affected(checks: Mapping[str, Sequence[str]], kinds: Iterable[str]) -> dict[str, list[str]]:
    """Check name -> the gap kinds among its inputs, for the checks that have any."""
    wanted = set(kinds)
    out: dict[str, list[str]] = {}
    for name, inputs in checks.items():
        hit = sorted(set(inputs) & wanted)
        if hit:
            out[name] = hit
    return out


def failure_reasons(checks: Mapping[str, Sequence[str]], failed: Sequence[ReadGap]) -> dict[str, str]:
    """Check name -> why it did not run (the first failed read among its inputs)."""
    by_kind: dict[str, ReadGap] = {}
    for gap in failed:
        by_kind.setdefault(gap.kind, gap)
    return {name: f"did not run: {by_kind[kinds[0]].reason}"
            for name, kinds in affected(checks, by_kind).items()}


def denied_note(denied: Sequence[ReadGap], checks: Mapping[str, Sequence[str]]) -> str:
    """The one stderr paragraph about reads the user may not make (empty when there are none)."""
    if not denied:
        return ""
    scopes: dict[str, list[str]] = {}
    for gap in denied:
        scopes.setdefault(gap.kind, [])
        if gap.scope not in scopes[gap.kind]:
            scopes[gap.kind].append(gap.scope)
    listed = "; ".join(f"{kind} in {', '.join(where)}" for kind, where in sorted(scopes.items()))
    weakened = sorted(affected(checks, scopes))
    tail = f"; this weakens {', '.join(weakened)}" if weakened else ""
    return (f"Warning: access denied (403), analysed without: {listed}{tail}. "
            "Use --strict-access to fail instead.")


def failed_note(failed: Sequence[ReadGap], not_run: Mapping[str, str], allow_partial: bool) -> str:
    """The one stderr paragraph about reads that failed (empty when none did)."""
    if not failed:
        return ""
    by_reason: dict[str, list[str]] = {}
    for gap in failed:
        what = gap.kind if gap.namespace is None else f"{gap.kind} in {gap.scope}"
        if what not in by_reason.setdefault(gap.reason, []):
            by_reason[gap.reason].append(what)
    reads = "; ".join(f"{', '.join(sorted(kinds))}: {why}" for why, kinds in sorted(by_reason.items()))
    checks = ", ".join(sorted(not_run)) or "none"
    verdict = ("listed as not run (--allow-partial)" if allow_partial
               else "so the result is incomplete (exit 1; --allow-partial accepts it)")
    return f"Error: reads of the cluster failed ({reads}); checks that did not run: {checks}, {verdict}"
