"""uninstall: find what meshctl installed for a revision and delete it in reverse order.

:func:`plan` is pure; :func:`discover` and :func:`execute` do the reading and deleting
through the cluster client handed in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from meshctl.errors import ClusterError, MeshctlError
from meshctl.install.manifest import PHASES, describe, identity, sort_key
from meshctl.install.meta import MANAGED_BY, MANAGER, REVISION, Obj
from meshctl.kinds import kind_key

Client = Any
#: Objects the cluster or istiod creates in every namespace; they do not make a namespace "in use".
AUTOMATIC = {("ConfigMap", "kube-root-ca.crt"), ("ConfigMap", "istio-ca-root-cert"),
             ("ServiceAccount", "default"), ("Secret", "istio-ca-secret")}
#: Kinds looked at to decide whether the control-plane namespace holds anything else.
OCCUPANT_KINDS = ("ConfigMap", "Secret", "ServiceAccount", "Service", "Deployment", "DaemonSet",
                  "StatefulSet", "Job", "CronJob", "Role", "RoleBinding", "PodDisruptionBudget",
                  "HorizontalPodAutoscaler")
OWNED_KINDS = tuple(k for _, kinds in PHASES for k in kinds if k not in ("Namespace", "CustomResourceDefinition"))


@dataclass
class Found:
    """What the cluster holds that uninstall cares about."""

    owned: list[Obj] = field(default_factory=list)
    crds: list[Obj] = field(default_factory=list)
    namespace: Obj | None = None
    occupants: list[Obj] = field(default_factory=list)


def is_meshctl(obj: Obj | None) -> bool:
    """Whether an object carries meshctl's managed-by label."""
    return ((obj or {}).get("metadata") or {}).get("labels", {}).get(MANAGED_BY) == MANAGER


def plan(found: Found, purge: bool) -> list[Obj]:
    """What to delete, in reverse dependency order.

    CRDs (and with them every custom resource) only with ``purge``. The namespace only when
    meshctl created it and nothing but what is being deleted (and automatic objects) is left in it.
    """
    doomed = list(found.owned) + (list(found.crds) if purge else [])
    gone = {identity(o)[1:] for o in doomed}
    left = [o for o in found.occupants
            if identity(o)[1:] not in gone and (o["kind"], o["metadata"]["name"]) not in AUTOMATIC]
    if found.namespace is not None and is_meshctl(found.namespace) and not left:
        doomed.append(found.namespace)
    return sorted(doomed, key=sort_key, reverse=True)


def discover(client: Client, revision: str, namespace: str) -> Found:
    """List meshctl's objects for ``revision``, meshctl's CRDs, and the namespace's contents."""
    selector = f"{MANAGED_BY}={MANAGER},{REVISION}={revision}"
    found = Found()
    for key in OWNED_KINDS:
        found.owned += client.list(key, label_selector=selector)
    found.crds = client.list("CustomResourceDefinition", label_selector=f"{MANAGED_BY}={MANAGER}")
    found.namespace = client.get("Namespace", namespace)
    if found.namespace is not None:
        for key in OCCUPANT_KINDS:
            found.occupants += client.list(key, namespace=namespace)
    return found


def execute(client: Client, doomed: Sequence[Obj], notify: Callable[[str, Obj], None]) -> int:
    """Delete in the given order; returns how many were deleted. Stops at the first failure."""
    deleted = 0
    for done, obj in enumerate(doomed):
        meta = obj["metadata"]
        key = kind_key(obj.get("apiVersion", ""), obj["kind"])
        try:
            existed = client.delete(key, meta["name"], meta.get("namespace"))
        except MeshctlError as exc:
            raise ClusterError(f"uninstall stopped at {describe(obj)} after deleting {done} of {len(doomed)} "
                               f"objects: {exc}; re-run the same command to complete it") from None
        deleted += int(existed)
        notify("deleted" if existed else "already gone", obj)
    return deleted
