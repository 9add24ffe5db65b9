"""Permissions: one IST0141 listing every verb and resource install (and precheck) may not use."""

from __future__ import annotations

from collections.abc import Iterator

from meshctl.analysis.message import Message
from meshctl.precheck.model import PrecheckRequest, PrecheckSnapshot
from meshctl.precheck.permissions import describe_missing, required_permissions
from meshctl.precheck.registry import check, finding


@check("permissions", "permissions",
       "The current user may create, get and patch everything install writes, and list what precheck reads.",
       codes=("IST0141",))
def permissions(snap: PrecheckSnapshot, req: PrecheckRequest) -> Iterator[Message]:
    """One IST0141 naming exactly the missing permissions (all of them when SSAR itself fails)."""
    wanted = required_permissions(req)
    if snap.access_error is not None:
        detail = (f"cannot ask the API server (SelfSubjectAccessReview failed: {snap.access_error}); "
                  f"install needs {describe_missing(wanted)}")
        yield finding("IST0141", detail=detail)
        return
    missing = [p for p in wanted if snap.access.get(p) is False]
    if missing:
        yield finding("IST0141", detail=describe_missing(missing))


@check("cluster-reads", "permissions",
       "Every list precheck needs succeeded (failures not explained by missing permissions).",
       codes=("MSH0801",))
def cluster_reads(snap: PrecheckSnapshot, req: PrecheckRequest) -> Iterator[Message]:
    """MSH0801 for reads that failed for a reason IST0141 does not already report."""
    for key, error in sorted(snap.unreadable.items()):
        denied_everything = snap.access_error is not None and "permission denied" in error
        if key not in snap.explained and not denied_everything:
            yield finding("MSH0801", what=key, detail=error)
