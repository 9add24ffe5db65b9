"""uninstall: delete what one recorded release created, and nothing else.

The objects come from the release record (never from names or labels), each still carrying the
release's annotation; CRDs only with ``purge``. The namespace goes only when the release created it
and nothing else is in it: every namespaced kind discovery lists (custom resources included) is
listed there, and anything that is not being deleted, not made by the cluster or by istiod for
itself (``kube-root-ca.crt``, the ``default`` ServiceAccount, ``istio-ca-root-cert``,
``istio-ca-secret``, Leases, Events) and not owned by another object keeps it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from meshctl.errors import ClusterError, MeshctlError
from meshctl.install.apply import CRD, delete, fetch
from meshctl.install.manifest import describe, identity, sort_key
from meshctl.install.meta import Obj, owner_of
from meshctl.install.release import Record

Client = Any
AUTOMATIC = {("ConfigMap", "kube-root-ca.crt"), ("ConfigMap", "istio-ca-root-cert"),
             ("ServiceAccount", "default"), ("Secret", "istio-ca-secret")}
#: Namespaced resources that are not content: events, and review/binding endpoints that cannot be listed.
NOT_CONTENT = {("", "events"), ("events.k8s.io", "events"), ("", "bindings"),
               ("authorization.k8s.io", "localsubjectaccessreviews"), ("coordination.k8s.io", "leases")}


#: Components whose objects every revision in the namespace uses: handed to a remaining release, not deleted.
SHARED = ("base", "namespace")


@dataclass
class Plan:
    """What uninstall deletes (in order), what it hands to a remaining release, why the namespace stays."""

    doomed: list[Obj] = field(default_factory=list)
    handed: list[Obj] = field(default_factory=list)
    namespace_kept: str = ""


def occupants(client: Client, namespace: str) -> tuple[list[Obj], str]:
    """Everything in a namespace (each namespaced kind discovery lists, preferred version); and a
    reason when some kind could not be listed (then the namespace must be kept)."""
    seen: set[tuple[str, str]] = set()
    found: list[Obj] = []
    for group, version, plural, _kind, namespaced in client.served_resources():
        if not namespaced or (group, plural) in seen or (group, plural) in NOT_CONTENT:
            continue
        seen.add((group, plural))
        try:
            found += client.list_resource(group, version, plural, namespace=namespace)
        except MeshctlError as exc:
            return found, f"cannot list {plural} in {namespace} ({exc})"
    return found, ""


def _is_content(obj: Obj) -> bool:
    meta = obj.get("metadata") or {}
    return not meta.get("ownerReferences") and (obj.get("kind"), meta.get("name")) not in AUTOMATIC


def plan(client: Client, record: Record, record_secret: Obj, purge: bool, heir: Record | None = None) -> Plan:
    """The objects of ``record`` still there and still the release's, the record, maybe the namespace.

    With ``heir`` (another release in the namespace), the shared objects (base chart, namespace) are
    handed to it instead of deleted.
    """
    out = Plan()
    for ref in record.owned:
        obj = {"apiVersion": ref["apiVersion"], "kind": ref["kind"],
               "metadata": {"name": ref["name"], **({"namespace": ref["namespace"]} if ref["namespace"] else {})}}
        shared = heir is not None and ref.get("component") in SHARED
        if not shared and (obj["kind"] == "Namespace" or (obj["kind"] == CRD and not purge)):
            continue
        live = fetch(client, obj) if obj["kind"] != "Namespace" else client.get("Namespace", ref["name"])
        if live is not None and owner_of(live) == record.owner:
            (out.handed if shared else out.doomed).append(obj)
    out.doomed.sort(key=sort_key, reverse=True)
    out.doomed.append(record_secret)
    ns = client.get("Namespace", record.namespace)
    if heir is not None:
        out.namespace_kept = f"release {heir.owner} is still installed there"
        return out
    if not record.created_namespace or ns is None or owner_of(ns) != record.owner:
        return out
    everything, failed = occupants(client, record.namespace)
    gone = {identity(o)[1:] for o in out.doomed}
    left = [o for o in everything if _is_content(o) and identity(o)[1:] not in gone]
    if failed:
        out.namespace_kept = failed
    elif left:
        more = f" and {len(left) - 1} more" if len(left) > 1 else ""
        out.namespace_kept = f"it holds {describe(left[0])}{more}"
    else:
        out.doomed.append({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": record.namespace}})
    return out


def execute(client: Client, doomed: Sequence[Obj], notify: Callable[[str, Obj], None]) -> int:
    """Delete in the given order; how many were deleted. Stops at the first failure."""
    deleted = 0
    for done, obj in enumerate(doomed):
        try:
            existed = delete(client, obj)
        except MeshctlError as exc:
            raise ClusterError(f"uninstall stopped at {describe(obj)} after deleting {done} of {len(doomed)} "
                               f"objects: {exc}; re-run the same command to complete it") from None
        deleted += int(existed)
        notify("deleted" if existed else "already gone", obj)
    return deleted
