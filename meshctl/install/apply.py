"""Install: server-side apply in dependency order, wait for CRDs, then for workloads.

All I/O goes through the cluster client handed in; the ordering comes from the manifest.
Each applied object is reported as ``created``, ``configured`` or ``unchanged`` by comparing
it before and after the apply: the same resourceVersion, or the same content apart from
resourceVersion, generation and managedFields (whose timestamps some servers touch on a no-op).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from meshctl.errors import ClusterError, MeshctlError
from meshctl.install.manifest import describe, phase_of
from meshctl.install.meta import Obj
from meshctl.kinds import kind_key, lookup

Client = Any
Notify = Callable[[str, Obj], None]


@dataclass
class ApplyReport:
    """What an install did, object by object."""

    outcomes: list[tuple[str, Obj]] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        """How many objects had this outcome."""
        return sum(1 for o, _ in self.outcomes if o == outcome)

    @property
    def changed(self) -> bool:
        """Whether anything was created or configured."""
        return any(o != "unchanged" for o, _ in self.outcomes)


_VOLATILE = ("resourceVersion", "managedFields", "generation")


def _content(obj: Obj) -> Obj:
    """An object without the metadata that changes on a no-op write (versions, managedFields times)."""
    meta = {k: v for k, v in (obj.get("metadata") or {}).items() if k not in _VOLATILE}
    return {**obj, "metadata": meta}


def fetch(client: Client, obj: Obj) -> Obj | None:
    """The live copy of a manifest object, or None."""
    info = lookup(kind_key(obj["apiVersion"], obj["kind"]))
    if info is None:
        raise ClusterError(f"meshctl does not know how to read {obj['kind']}")
    meta = obj["metadata"]
    ns = meta.get("namespace") if info.namespaced else None
    return client.get_resource(info.group, info.version, info.plural, meta["name"], ns)  # type: ignore[no-any-return]


def apply_one(client: Client, obj: Obj, dry_run: bool = False) -> str:
    """Server-side apply one object; its outcome: created, configured or unchanged."""
    before = fetch(client, obj)
    after = client.apply(obj, dry_run=dry_run, force=True)
    if before is None:
        return "created"
    same = before.get("metadata", {}).get("resourceVersion") == after.get("metadata", {}).get("resourceVersion")
    return "unchanged" if same or _content(before) == _content(after) else "configured"


def established(crd: Obj | None) -> bool:
    """Whether a CRD's Established condition is True."""
    conditions = ((crd or {}).get("status") or {}).get("conditions") or []
    return any(c.get("type") == "Established" and c.get("status") == "True" for c in conditions)


def wait_established(client: Client, crds: Sequence[Obj], timeout: float,
                     sleep: Callable[[float], None] = time.sleep) -> None:
    """Poll until every CRD is Established, or raise ClusterError after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    pending = [c["metadata"]["name"] for c in crds]
    while pending:
        pending = [n for n in pending
                   if not established(client.get_resource("apiextensions.k8s.io", "v1",
                                                          "customresourcedefinitions", n))]
        if not pending:
            return
        if time.monotonic() >= deadline:
            raise ClusterError(f"CRDs not Established within {timeout:g}s: {', '.join(pending)}")
        sleep(0.5)


def interrupted(done: int, objects: Sequence[Obj], failed: Obj, exc: Exception) -> ClusterError:
    """The error for an install that stopped midway: what was applied, what was not, how to resume."""
    left = len(objects) - done
    return ClusterError(f"install stopped at {describe(failed)} after applying {done} of {len(objects)} "
                        f"objects ({left} not applied): {exc}; re-run the same command to complete it")


def install(client: Client, objects: Sequence[Obj], notify: Notify, crd_timeout: float = 60.0,
            dry_run: bool = False) -> ApplyReport:
    """Apply ``objects`` (already in dependency order); waits for CRDs before RBAC and the rest."""
    report = ApplyReport()
    crds = [o for o in objects if o["kind"] == "CustomResourceDefinition"]
    waited = not crds or dry_run
    for done, obj in enumerate(objects):
        if not waited and phase_of(obj) not in ("namespaces", "crds"):
            notify("waiting", crds[0])
            wait_established(client, crds, crd_timeout)
            waited = True
        try:
            outcome = apply_one(client, obj, dry_run)
        except MeshctlError as exc:
            raise interrupted(done, objects, obj, exc) from None
        report.outcomes.append((outcome, obj))
        notify(outcome, obj)
    if not waited:
        wait_established(client, crds, crd_timeout)
    return report
