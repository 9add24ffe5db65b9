"""Whether installed Deployments and DaemonSets are ready, and waiting until they are."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from meshctl.errors import ClusterError
from meshctl.install.meta import Obj

WORKLOAD_KINDS = ("Deployment", "DaemonSet")


def _generation_seen(live: Obj) -> bool:
    status = live.get("status") or {}
    generation = (live.get("metadata") or {}).get("generation")
    return generation is None or int(status.get("observedGeneration") or 0) >= int(generation)


def not_ready_reason(live: Obj | None) -> str | None:
    """Why a Deployment or DaemonSet is not ready (None when it is)."""
    if live is None:
        return "it does not exist"
    status = live.get("status") or {}
    if not _generation_seen(live):
        return "its controller has not seen the latest change"
    if live.get("kind") == "DaemonSet":
        want = int(status.get("desiredNumberScheduled") or 0)
        ready = int(status.get("numberReady") or 0)
        if ready < want or int(status.get("updatedNumberScheduled") or 0) < want:
            return f"{ready} of {want} pods ready"
        return None
    want = int((live.get("spec") or {}).get("replicas", 1) or 0)
    ready = int(status.get("availableReplicas") or 0)
    if ready < want or int(status.get("updatedReplicas") or 0) < want:
        return f"{ready} of {want} replicas available"
    return None


def workloads(objects: Sequence[Obj]) -> list[Obj]:
    """The Deployments and DaemonSets among manifest objects."""
    return [o for o in objects if o["kind"] in WORKLOAD_KINDS]


def wait_ready(fetch: Callable[[Obj], Obj | None], objects: Sequence[Obj], timeout: float,
               sleep: Callable[[float], None] = time.sleep, on_wait: Callable[[str], None] | None = None,
               reported: float | None = None) -> None:
    """Poll until every workload is ready; ClusterError naming the stragglers after ``timeout``.

    ``reported`` is the deadline the user set (``--timeout``), named in the error instead of
    ``timeout``, which is only what was left of it when the wait began.
    """
    deadline = time.monotonic() + timeout
    pending = workloads(objects)
    told = False
    while True:
        reasons = {id(o): not_ready_reason(fetch(o)) for o in pending}
        pending = [o for o in pending if reasons[id(o)]]
        if not pending:
            return
        if time.monotonic() >= deadline:
            detail = "; ".join(f"{o['kind']} {o['metadata'].get('namespace')}/{o['metadata']['name']}: "
                               f"{reasons[id(o)]}" for o in pending)
            within = timeout if reported is None else reported
            raise ClusterError(f"not ready within {within:g}s: {detail}")
        if on_wait and not told:
            told = True
            on_wait(f"waiting for {len(pending)} workload(s) to become ready")
        sleep(min(1.0, max(0.05, deadline - time.monotonic())))
