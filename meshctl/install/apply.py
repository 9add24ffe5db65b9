"""Apply a rendered install: decide per object, server-side apply in order, prune, wait for CRDs.

:func:`decide` is pure (rendered object, its live copy, who we are) and holds the ownership rules:

- an object that does not exist is created, and the release owns it;
- an object carrying this release's annotation is updated;
- an object another meshctl release owns (a revision, another namespace) is kept, always: a second
  revision never takes over the first one's gateway, reader account, CRDs or default validator;
- any other existing object is kept unless ``--force``: a CRD when its version is newer than the
  rendered one, or another field manager owns its spec (it is adopted when only meshctl wrote it);
  any other kind because meshctl did not install it. With ``--force`` it is taken over (adopted).

All cluster access goes through the client handed in. Writes are server-side apply as field manager
``meshctl``; CRDs go first and are waited for until Established.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from meshctl.errors import ClusterError, MeshctlError
from meshctl.install.manifest import describe, identity
from meshctl.install.meta import MANAGER, RECORD_SELECTOR, Obj, annotated, owner_of
from meshctl.install.release import decode
from meshctl.kinds import group_of, kind_key

Client = Any
Notify = Callable[[str, Obj], None]
CRD = "CustomResourceDefinition"
VERSION_LABEL = "app.kubernetes.io/version"


@dataclass(frozen=True)
class Step:
    """What to do with one rendered object: ``create``, ``update`` or ``keep`` (and why)."""

    obj: Obj
    action: str
    reason: str = ""
    adopt: bool = False


@dataclass
class ApplyReport:
    """What an install did, object by object (``created``, ``configured``, ``unchanged``, ``kept``, ``pruned``)."""

    outcomes: list[tuple[str, Obj]] = field(default_factory=list)
    reasons: dict[int, str] = field(default_factory=dict)

    def count(self, outcome: str) -> int:
        """How many objects had this outcome."""
        return sum(1 for o, _ in self.outcomes if o == outcome)


def _version(text: str | None) -> tuple[int, ...] | None:
    match = re.match(r"^v?(\d+)\.(\d+)(?:\.(\d+))?", str(text or ""))
    return tuple(int(p or 0) for p in match.groups()) if match else None


def crd_newer(live: Obj, rendered: Obj) -> str | None:
    """Why the live CRD is newer than the rendered one (a higher version label, or versions we lack)."""
    live_v = _version(((live.get("metadata") or {}).get("labels") or {}).get(VERSION_LABEL))
    ours_v = _version(((rendered.get("metadata") or {}).get("labels") or {}).get(VERSION_LABEL))
    if live_v and ours_v and live_v > ours_v:
        return f"the cluster's CRD is version {'.'.join(map(str, live_v))}, newer than {'.'.join(map(str, ours_v))}"
    ours = {v.get("name") for v in (rendered.get("spec") or {}).get("versions") or []}
    extra = sorted(str(v.get("name")) for v in (live.get("spec") or {}).get("versions") or []
                   if v.get("name") not in ours)
    if extra:
        return f"the cluster's CRD serves {', '.join(extra)}, which the rendered one does not"
    return None


def other_managers(live: Obj) -> list[str]:
    """Field managers other than meshctl that own part of an object's spec."""
    names = set()
    for entry in (live.get("metadata") or {}).get("managedFields") or []:
        manager = str(entry.get("manager") or "")
        if manager and manager != MANAGER and "f:spec" in (entry.get("fieldsV1") or {}):
            names.add(manager)
    return sorted(names)


def decide(obj: Obj, live: Obj | None, owner: str, live_releases: set[str] | None, force: bool) -> Step:
    """The ownership rules above, for one object (``live_releases``: None when they cannot be listed)."""
    if live is None:
        return Step(obj, "create")
    current = owner_of(live)
    if current == owner:
        return Step(obj, "update")
    if current and (live_releases is None or current in live_releases):
        return Step(obj, "keep", f"owned by meshctl release {current}")
    if force:
        return Step(obj, "update", "taken over (--force)", adopt=True)
    if obj.get("kind") == CRD:
        newer = crd_newer(live, obj)
        if newer:
            return Step(obj, "keep", f"{newer}; --force replaces it")
        managers = other_managers(live)
        if managers:
            return Step(obj, "keep", f"managed by {', '.join(managers)}; --force replaces it")
        return Step(obj, "update", "adopted", adopt=True)
    return Step(obj, "keep", "exists and was not installed by meshctl; --force takes it over")


def _served(client: Client, obj: Obj) -> Any:
    api_version = str(obj.get("apiVersion") or "")
    group, version, kind = group_of(api_version), api_version.rpartition("/")[2], str(obj.get("kind"))
    served = client.discovery().find_kind(group, kind, version) or client.discovery().find_kind(group, kind)
    if served is None:
        raise ClusterError(f"the cluster does not serve {kind} in {api_version}")
    return served


def fetch(client: Client, obj: Obj) -> Obj | None:
    """The live copy of an object (any kind the cluster serves), or None."""
    served = _served(client, obj)
    meta = obj.get("metadata") or {}
    ns = meta.get("namespace") if served.namespaced else None
    return client.get_resource(served.group, served.version, served.plural, meta["name"], ns)  # type: ignore[no-any-return]


def delete(client: Client, obj: Obj, dry_run: bool = False) -> bool:
    """Delete one object; False when it was already gone."""
    meta = obj.get("metadata") or {}
    key = kind_key(str(obj.get("apiVersion") or ""), str(obj.get("kind")))
    return bool(client.delete(key, meta["name"], meta.get("namespace"), dry_run=dry_run))


def live_releases(client: Client) -> set[str] | None:
    """``namespace/release`` of every release record in the cluster (None when Secrets cannot be listed)."""
    try:
        secrets = client.list("Secret", label_selector=RECORD_SELECTOR)
    except MeshctlError:
        return None
    out = set()
    for secret in secrets:
        try:
            out.add(decode(secret).owner)
        except MeshctlError:
            continue
    return out


def plan_steps(client: Client, objects: Sequence[Obj], owner: str, force: bool) -> list[Step]:
    """One decision per rendered object, from its live copy."""
    releases = live_releases(client)
    return [decide(obj, fetch(client, obj), owner, releases, force) for obj in objects]


def _content(obj: Obj) -> Obj:
    meta = {k: v for k, v in (obj.get("metadata") or {}).items()
            if k not in ("resourceVersion", "managedFields", "generation")}
    return {**obj, "metadata": meta}


def apply_one(client: Client, step: Step, owner: str, live: Obj | None, dry_run: bool) -> str:
    """Server-side apply one object; created, configured or unchanged."""
    after = client.apply(annotated(step.obj, owner), dry_run=dry_run, force=True)
    if live is None:
        return "created"
    same = live.get("metadata", {}).get("resourceVersion") == after.get("metadata", {}).get("resourceVersion")
    return "unchanged" if same or _content(live) == _content(after) else "configured"


def established(crd: Obj | None) -> bool:
    """Whether a CRD's Established condition is True."""
    conditions = ((crd or {}).get("status") or {}).get("conditions") or []
    return any(c.get("type") == "Established" and c.get("status") == "True" for c in conditions)


def wait_established(client: Client, crds: Sequence[Obj], timeout: float,
                     sleep: Callable[[float], None] = time.sleep) -> None:
    """Poll until every CRD is Established; ClusterError naming the others after ``timeout``."""
    deadline = time.monotonic() + timeout
    pending = list(crds)
    while pending:
        pending = [c for c in pending if not established(fetch(client, c))]
        if not pending:
            return
        if time.monotonic() >= deadline:
            names = ", ".join(c["metadata"]["name"] for c in pending)
            raise ClusterError(f"CRDs not Established within {timeout:g}s: {names}")
        sleep(0.2)


def execute(client: Client, steps: Sequence[Step], owner: str, notify: Notify, crd_timeout: float,
            dry_run: bool = False) -> tuple[ApplyReport, list[Obj]]:
    """Apply in order (CRDs first, then wait for them); (report, the objects written)."""
    report = ApplyReport()
    written: list[Obj] = []
    waited = False
    for step in steps:
        if step.action == "keep":
            report.outcomes.append(("kept", step.obj))
            report.reasons[len(report.outcomes) - 1] = step.reason
            notify("kept", step.obj)
            continue
        if step.obj.get("kind") != CRD and not waited:
            crds = [o for o in written if o.get("kind") == CRD]
            if crds and not dry_run:
                notify("waiting", step.obj)
                wait_established(client, crds, crd_timeout)
            waited = True
        live = fetch(client, step.obj)
        try:
            outcome = apply_one(client, step, owner, live, dry_run)
        except MeshctlError as exc:
            raise ClusterError(f"install stopped at {describe(step.obj)} after {len(written)} of "
                               f"{len(steps)} objects: {exc}") from None
        written.append(step.obj)
        report.outcomes.append((outcome, step.obj))
        notify(outcome, step.obj)
    return report, written


def prune(client: Client, stale: Iterable[Obj], owner: str, notify: Notify, dry_run: bool = False) -> list[Obj]:
    """Delete objects the release owned and no longer renders (never CRDs); those deleted."""
    gone: list[Obj] = []
    for obj in stale:
        if obj.get("kind") == CRD:
            continue
        live = fetch(client, obj)
        if live is None or owner_of(live) != owner:
            continue
        delete(client, obj, dry_run=dry_run)
        gone.append(obj)
        notify("pruned", obj)
    return gone


def keys(objects: Iterable[Obj]) -> set[tuple[str, str, str, str]]:
    """The identities of objects."""
    return {identity(o) for o in objects}
