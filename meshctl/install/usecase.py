"""The use cases of ``manifest generate``, ``install``, ``verify-install`` and ``uninstall``.

Each takes a request (plain data) and, for the cluster commands, the cluster client and two
callbacks from the CLI: ``confirm(question)`` (raises to cancel) and ``notify(outcome, object)``
(progress). They return plain results; rendering them is the CLI's job.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from meshctl import ISTIO_VERSION
from meshctl.errors import MeshctlError, UsageError
from meshctl.install import apply, readiness
from meshctl.install import release as rec
from meshctl.install import uninstall as un
from meshctl.install.charts import ISTIO_REPO, ChartSet, resolve
from meshctl.install.config import InstallConfig, build_config
from meshctl.install.manifest import Rendered, identity, render_config
from meshctl.install.meta import RELEASE, Obj, annotated, owner_of, release_id
from meshctl.kinds import kind_key

Client = Any
Notify = Callable[[str, Obj], None]
Confirm = Callable[[str], None]


@dataclass(frozen=True)
class InstallRequest:
    """What to install: profile, ``--set``, ``-f``, revision, where charts come from, and how."""

    profile: str | None = None
    sets: Sequence[str] = ()
    files: Sequence[str] = ()
    revision: str | None = None
    charts_dir: str | None = None
    version: str = ISTIO_VERSION
    repo: str = ISTIO_REPO
    force: bool = False
    server_dry_run: bool = False
    wait: bool = True
    timeout: float = 300.0

    @property
    def configured(self) -> bool:
        """Whether the request names a configuration (else verify-install uses the recorded one)."""
        return bool(self.profile or self.sets or self.files)


@dataclass
class InstallResult:
    """What an install did."""

    cfg: InstallConfig
    objects: list[Obj]
    report: apply.ApplyReport = field(default_factory=apply.ApplyReport)
    pruned: list[Obj] = field(default_factory=list)
    namespace_created: bool = False
    ready: bool = False
    notes: list[str] = field(default_factory=list)


def configure(req: InstallRequest) -> InstallConfig:
    """The merged configuration of a request."""
    return build_config(req.profile, req.files, req.sets, req.revision)


def charts_of(req: InstallRequest) -> ChartSet:
    """The charts a request renders."""
    return resolve(req.charts_dir, req.version, req.repo)


def generate(req: InstallRequest) -> Rendered:
    """``manifest generate``: Helm's rendering of the charts, no cluster."""
    return render_config(configure(req), charts_of(req))


def _chart_rows(rendered: Rendered, req: InstallRequest) -> list[dict[str, Any]]:
    return [{"chart": r.chart, "release": r.name, "component": r.component, "values": dict(r.values),
             "source": req.charts_dir or f"{req.repo} {req.version}"} for r in rendered.releases]


def _namespace(cfg: InstallConfig, owner: str) -> Obj:
    return annotated({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": cfg.namespace}}, owner)


def install(req: InstallRequest, client: Client, confirm: Confirm, notify: Notify,
            precheck: Callable[[InstallConfig], None] | None = None) -> InstallResult:
    """Render, decide per object, record, apply (CRDs first), prune, record again, wait."""
    cfg = configure(req)
    rendered = render_config(cfg, charts_of(req))
    result = InstallResult(cfg, rendered.objects, notes=rendered.notes)
    if not rendered.objects:
        return result
    if precheck is not None:
        precheck(cfg)
    owner = release_id(cfg.namespace, cfg.release)
    found = rec.read(client, cfg.namespace, cfg.release)
    previous = found[0] if found else None
    steps = apply.plan_steps(client, rendered.objects, owner, req.force)
    wanted = {identity(o) for o in rendered.objects}
    stale = [_stub(r) for r in (previous.owned if previous else [])
             if r["kind"] not in ("Namespace", apply.CRD) and identity(_stub(r)) not in wanted]
    dry = req.server_dry_run
    create_ns = client.get("Namespace", cfg.namespace) is None
    if dry and create_ns:
        raise MeshctlError(f"--dry-run=server cannot check objects in namespace {cfg.namespace}, which does not "
                           "exist yet (install would create it); use --dry-run=client or create the namespace first")
    confirm(f"Install profile {cfg.profile!r} (revision {cfg.rev_label}) into {cfg.namespace}: "
            f"{sum(s.action != 'keep' for s in steps)} objects to apply, {len(stale)} to prune?")
    new_owned = [s.obj for s in steps if s.action == "create" or s.adopt]
    new_refs = [{**rec.ref(o), "component": rendered.component_of.get(identity(o), "")} for o in new_owned]
    owned = _merge_refs(previous.owned if previous else [], new_refs)
    if create_ns:
        owned = _merge_refs(owned, [{**rec.ref(_namespace(cfg, owner)), "component": "namespace"}])
    record = rec.Record(name=cfg.release, namespace=cfg.namespace, revision=cfg.revision, spec=cfg.spec,
                        charts=_chart_rows(rendered, req), manifest=[s.obj for s in steps if s.action != "keep"],
                        owned=owned, generation=(previous.generation + 1) if previous else 1,
                        created_namespace=bool(create_ns or (previous and previous.created_namespace)))
    if create_ns:
        client.apply(_namespace(cfg, owner), dry_run=dry, force=True)
        result.namespace_created = True
    if not dry:  # recorded before the first write, so an interrupted install is never lost
        rec.write(client, record)
    result.report, written = apply.execute(client, steps, owner, notify, crd_timeout=req.timeout, dry_run=dry)
    result.pruned = apply.prune(client, stale, owner, notify, dry_run=dry)
    if dry:
        return result
    gone = {identity(o) for o in result.pruned}
    record.owned = [r for r in record.owned if identity(_stub(r)) not in gone]
    rec.write(client, record)
    if req.wait:
        left = max(0.0, client.deadline.remaining() - min(2.0, req.timeout / 4))
        readiness.wait_ready(lambda obj: apply.fetch(client, obj), written, left, reported=req.timeout)
        result.ready = True
    return result


def _stub(ref: dict[str, str]) -> Obj:
    meta = {"name": ref["name"], **({"namespace": ref["namespace"]} if ref.get("namespace") else {})}
    return {"apiVersion": ref["apiVersion"], "kind": ref["kind"], "metadata": meta}


def _merge_refs(old: Sequence[dict[str, str]], new: Sequence[dict[str, str]]) -> list[dict[str, str]]:
    seen = {identity(_stub(r)) for r in old}
    return [*old, *(r for r in new if identity(_stub(r)) not in seen)]


@dataclass
class UninstallResult:
    """What uninstall found and did."""

    release: str
    namespace: str
    found: bool = False
    doomed: list[Obj] = field(default_factory=list)
    namespace_kept: str = ""
    deleted: int = 0
    handed: list[Obj] = field(default_factory=list)
    heir: str = ""


def release_name(revision: str | None) -> str:
    """The release name meshctl records a revision under."""
    return f"istio-{revision}" if revision and revision != "default" else "istio"


def uninstall(client: Client, namespace: str, revision: str | None, purge: bool, dry_run: bool,
              confirm: Confirm, notify: Notify) -> UninstallResult:
    """Delete what the recorded release created (CRDs only with ``purge``, refused with a revision)."""
    if purge and revision and revision != "default":
        raise UsageError("--purge deletes the CRDs every revision uses; it cannot be combined with --revision")
    name = release_name(revision)
    result = UninstallResult(name, namespace)
    found = rec.read(client, namespace, name)
    if found is None:
        return result
    record, secret = found
    result.found = True
    remaining = rec.others(client, record)
    heir = remaining[0] if remaining else None
    if purge and heir is not None:
        raise UsageError(f"--purge deletes the CRDs, and release {heir.owner} still uses them; uninstall it first")
    plan = un.plan(client, record, secret, purge, heir)
    result.doomed, result.namespace_kept, result.handed = plan.doomed, plan.namespace_kept, plan.handed
    result.heir = heir.owner if heir else ""
    if dry_run:
        return result
    confirm(f"Delete {len(plan.doomed)} objects of meshctl release {record.owner}?")
    if heir is not None and plan.handed:
        _hand_over(client, record, heir, plan.handed, notify)
    result.deleted = un.execute(client, plan.doomed, notify)
    return result


def _hand_over(client: Client, record: rec.Record, heir: rec.Record, objects: Sequence[Obj], notify: Notify) -> None:
    """Make ``heir`` the owner of shared objects: its record first, then each object's annotation."""
    by_key = {identity(_stub(r)): r for r in record.owned}
    heir.owned = _merge_refs(heir.owned, [by_key[identity(o)] for o in objects])
    heir.created_namespace = heir.created_namespace or record.created_namespace
    handed = {identity(o) for o in objects}
    have = {identity(o) for o in heir.manifest}
    heir.manifest += [o for o in record.manifest if identity(o) in handed and identity(o) not in have]
    rec.write(client, heir)
    for obj in objects:
        meta = obj["metadata"]
        patch = {"metadata": {"annotations": {RELEASE: heir.owner}}}
        client.merge_patch(kind_key(obj["apiVersion"], obj["kind"]), meta["name"], patch, meta.get("namespace"))
        notify("handed over", obj)


def verify(client: Client, req: InstallRequest, namespace: str) -> tuple[list[Any], int]:
    """verify-install: (messages, objects checked), against the recorded install unless one is given."""
    from meshctl.install import verify as core

    leftovers: list[Obj] = []
    if req.configured:
        objects = generate(req).objects
    else:
        found = rec.read(client, namespace, release_name(req.revision))
        if found is None:
            raise UsageError(f"no meshctl install of revision {req.revision or 'default'} is recorded in "
                             f"{namespace}; pass the configuration (--profile, --set, -f) to compare with")
        record = found[0]
        objects = record.manifest
        wanted = {identity(o) for o in objects}
        for ref in record.owned:
            stub = _stub(ref)
            if ref["kind"] in ("Namespace", apply.CRD) or identity(stub) in wanted:
                continue
            live_obj = apply.fetch(client, stub)
            if live_obj is not None and owner_of(live_obj) == record.owner:
                leftovers.append(live_obj)
    live = core.gather(lambda obj: apply.fetch(client, obj), objects)
    return core.compare(objects, live, leftovers, req.revision or "default"), len(objects)
