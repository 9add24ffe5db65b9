"""Run checks: gather (cluster) or load (files) once, call each check, build one Result."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from meshctl.analysis.engine import run_rules
from meshctl.analysis.message import Message
from meshctl.analysis.result import Result, Suppression, annotation_suppressed, finalize
from meshctl.catalogue import Level
from meshctl.precheck.model import PrecheckRequest, PrecheckSnapshot
from meshctl.precheck.registry import CLUSTER_ORIGIN, Check, select_checks
from meshctl.resource import Resource

if TYPE_CHECKING:
    from meshctl.cluster.options import ClusterOptions


def run_checks(checks: Sequence[Check], snap: PrecheckSnapshot, req: PrecheckRequest
               ) -> tuple[list[Message], dict[str, str]]:
    """Messages of every check whose inputs were readable; reasons for the ones skipped (the rule engine's
    runner: a check that raises becomes IST0001 about the cluster)."""

    def skip_reason(chk: Check) -> str | None:
        missing = [k for k in chk.needs if k in snap.unreadable]
        return f"cannot read {', '.join(missing)}: {snap.unreadable[missing[0]]}" if missing else None

    run = run_rules(checks, lambda c: c.name, skip_reason, lambda c: c.func(snap, req), error_origin=CLUSTER_ORIGIN)
    return run.messages, run.skipped


def _result(req: PrecheckRequest, checks: Sequence[Check], messages: Iterable[Message],
            skipped: dict[str, str], resources: Iterable[Resource] = (),
            not_run: dict[str, str] | None = None, notes: Sequence[str] = ()) -> Result:
    suppressions = [Suppression.parse(s) for s in req.suppress]
    final = finalize(messages, suppressions, annotation_suppressed(resources))
    return Result(final, req.failure_threshold, req.output_threshold, skipped, [c.name for c in checks],
                  not_run=dict(not_run or {}), allow_partial=req.allow_partial, notes=notes)


def _not_run(checks: Sequence[Check], snap: PrecheckSnapshot, req: PrecheckRequest
             ) -> tuple[dict[str, str], list[Message], list[str]]:
    """Checks whose reads failed (or, with --strict-access, were denied): why, MSH0501 each, a stderr note."""
    from meshctl.cluster.gaps import ReadGap, failed_note, failure_reasons

    gaps = [ReadGap(key, None, why) for key, why in sorted(snap.failed.items())]
    if req.strict_access:
        gaps += [ReadGap(key, None, why) for key, why in sorted(snap.unreadable.items()) if key not in snap.failed]
    not_run = failure_reasons({c.name: tuple(c.needs) for c in checks}, gaps)
    messages = [Message.build("MSH0501", None, {"check": name, "reason": why.removeprefix("did not run: ")},
                              name, origin=CLUSTER_ORIGIN) for name, why in sorted(not_run.items())]
    note = failed_note(gaps, not_run, req.allow_partial)
    return not_run, messages, [note] if note else []


def precheck_cluster(cluster: ClusterOptions, req: PrecheckRequest) -> Result:
    """Gather the cluster once and run every selected cluster check."""
    from meshctl.sources.precheck import read_cluster

    checks = [c for c in select_checks(req.checks) if not c.offline]
    kinds = frozenset(k for c in checks for k in c.needs)
    snap = read_cluster(cluster, req, kinds, ask_access=any(c.category == "permissions" for c in checks))
    messages, skipped = run_checks(checks, snap, req)
    not_run, not_run_messages, notes = _not_run(checks, snap, req)
    return _result(req, checks, [*messages, *not_run_messages], skipped, not_run=not_run, notes=notes)


def _analyzer_messages(checks: Sequence[Check], req: PrecheckRequest) -> tuple[list[Message], dict[str, str]]:
    from meshctl.analysis.pipeline import AnalyzeRequest, analyze

    by_analyzer = {c.analyzer: c.name for c in checks if c.analyzer}
    if not by_analyzer:
        return [], {}
    run = analyze(AnalyzeRequest(files=req.files, analyzers=sorted(by_analyzer), ignore_unknown=req.ignore_unknown,
                                 istio_namespace=req.istio_namespace, failure_threshold=Level.INFO))
    messages = [m.with_analyzer(by_analyzer.get(m.analyzer, m.analyzer)) for m in run.messages]
    skipped = {by_analyzer[a]: why for a, why in run.skipped.items() if a in by_analyzer}
    return messages, skipped


def precheck_files(req: PrecheckRequest) -> Result:
    """Check manifests offline: analyzers through the engine, then the snapshot checks."""
    from meshctl.sources.files import load_paths

    checks = [c for c in select_checks(req.checks) if c.offline]
    resources = load_paths(req.files, req.ignore_unknown)
    by_kind: dict[str, list[Resource]] = {}
    for res in resources:
        by_kind.setdefault(res.key, []).append(res)
    snap = PrecheckSnapshot(now=req.clock(), objects={k: tuple(v) for k, v in by_kind.items()})
    messages, skipped = run_checks([c for c in checks if not c.analyzer], snap, req)
    more, more_skipped = _analyzer_messages(checks, req)
    return _result(req, checks, [*messages, *more], {**skipped, **more_skipped}, resources)


def run_prechecks(cluster: ClusterOptions | None, request: PrecheckRequest) -> Result:
    """Pre-install checks: manifests when ``request.files`` is set, else the cluster ``cluster`` names.

    This is the entry point ``meshctl install`` calls before changing anything; ``result.exit_code``
    is 79 when a finding reaches ``request.failure_threshold``.
    """
    if request.files:
        return precheck_files(request)
    from meshctl.cluster.options import ClusterOptions

    return precheck_cluster(cluster or ClusterOptions(), request)
