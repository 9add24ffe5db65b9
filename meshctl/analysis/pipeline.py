"""The analyze use case: sources -> snapshot -> analyzers -> Result."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

from meshctl import ISTIO_VERSION
from meshctl.analysis.analyzer_index import AnalyzerSpec, changed_kinds, default_environment, select
from meshctl.analysis.context import Environment, utc_now
from meshctl.analysis.engine import run_analyzers
from meshctl.analysis.environment import prepare
from meshctl.analysis.message import Message
from meshctl.analysis.result import Result, Suppression, annotation_suppressed, finalize
from meshctl.catalogue import Level
from meshctl.cluster.gaps import ReadGap, denied_note, failed_note, failure_reasons
from meshctl.errors import InputError
from meshctl.mesh import (
    load_mesh_config,
    load_mesh_networks,
    mesh_config_from_configmap,
    mesh_configmap_names,
)
from meshctl.resource import Resource
from meshctl.snapshot import Snapshot
from meshctl.sources.files import expand_paths, load_files

ISTIO_VERSION_OPTION = "istio_version"
"""``env.options`` key: the Istio version checks compare against (``--istio-version``, istiod's, or meshctl's)."""

if TYPE_CHECKING:
    from meshctl.analysis.registry import Analyzer
    from meshctl.cluster.options import ClusterOptions


class AnalyzeRequest(NamedTuple):
    """Everything ``meshctl analyze`` was asked to do."""

    files: Sequence[str] = ()
    use_kube: bool = False
    cluster: ClusterOptions | None = None
    namespace: str | None = None
    all_namespaces: bool = False
    analyzers: Sequence[str] = ()
    mesh_config_file: str | None = None
    mesh_networks_file: str | None = None
    suppress: Sequence[str] = ()
    failure_threshold: Level = Level.ERROR
    output_threshold: Level = Level.INFO
    ignore_unknown: bool = False
    istio_namespace: str = "istio-system"
    revision: str = "default"
    cert_horizon: timedelta = timedelta(days=30)
    clock: Callable[[], datetime] = utc_now
    options: Mapping[str, object] = MappingProxyType({})
    istio_version: str | None = None
    strict_access: bool = False
    allow_partial: bool = False


class Loaded(NamedTuple):
    """The sources read: resources, kinds not served, and what the cluster would not give."""

    resources: list[Resource]
    unavailable: frozenset[str] = frozenset()
    denied: tuple[ReadGap, ...] = ()
    failed: tuple[ReadGap, ...] = ()
    broken_crds: tuple[str, ...] = ()


def _with_namespace(resources: list[Resource], namespace: str | None) -> list[Resource]:
    """Give namespaced resources without one the namespace asked for with ``-n``."""
    if not namespace:
        return resources
    out = []
    for res in resources:
        if res.namespace is None and res.namespaced:
            body = {**res.body, "metadata": {**res.metadata, "namespace": namespace}}
            res = Resource.from_dict(body, res.origin)
        out.append(res)
    return out


def _load(req: AnalyzeRequest, kinds: set[str]) -> Loaded:
    paths = expand_paths(req.files)
    if req.files and not paths:
        raise InputError(f"no .yaml, .yml or .json files in {', '.join(req.files)}")
    files = _with_namespace(load_files(paths, req.ignore_unknown), req.namespace)
    if not req.use_kube:
        return Loaded(files)
    from meshctl.sources.live import load_live

    assert req.cluster is not None
    live = load_live(req.cluster, kinds, req.namespace, req.all_namespaces,
                     istio_namespace=req.istio_namespace, istiod=req.istio_version is None)
    from_files = {res.key for res in files}
    return Loaded([*live.resources, *files], live.unavailable - from_files, live.denied,
                  tuple(g for g in live.failed if g.kind not in from_files), live.broken_crds)


def build_environment(req: AnalyzeRequest) -> Environment:
    """The analysis environment: mesh config and networks (defaults or files), clock, options."""
    return Environment(load_mesh_config(req.mesh_config_file), load_mesh_networks(req.mesh_networks_file),
                       req.istio_namespace, req.revision, req.clock, req.cert_horizon, dict(req.options))


def load_snapshot(req: AnalyzeRequest, kinds: set[str], extra: Sequence[Resource] = ()
                  ) -> tuple[Snapshot, Environment, frozenset[str]]:
    """The snapshot of the request's sources (plus ``extra``), its environment, and unserved kinds."""
    snapshot, env, loaded = _snapshot(req, kinds, extra)
    return snapshot, env, loaded.unavailable


def _snapshot(req: AnalyzeRequest, kinds: set[str], extra: Sequence[Resource]
              ) -> tuple[Snapshot, Environment, Loaded]:
    env = build_environment(req)
    loaded = _load(req, kinds | {"ConfigMap"} if req.use_kube else kinds)
    resources = loaded.resources
    if req.use_kube and not req.mesh_config_file:
        env = env._replace(mesh_config=_cluster_mesh_config(resources, req) or env.mesh_config)
    version = req.istio_version or (istiod_version(resources, req.istio_namespace) if req.use_kube else None)
    env = env._replace(options={**env.options, ISTIO_VERSION_OPTION: version or ISTIO_VERSION})
    snapshot = Snapshot(prepare([*resources, *extra], env.mesh_config, req.istio_namespace))
    return snapshot, env, loaded


def istiod_version(resources: Sequence[Resource], istio_namespace: str) -> str | None:
    """The Istio version of the cluster's istiod: the tag of its discovery container's image."""
    from meshctl.precheck.versions import image_tag_version

    for res in resources:
        if res.key not in ("Pod", "Deployment") or res.namespace != istio_namespace:
            continue
        labels = res.labels if res.key == "Pod" else \
            ((res.spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
        if labels.get("app") != "istiod":
            continue
        spec = res.spec if res.key == "Pod" else (res.spec.get("template") or {}).get("spec") or {}
        for container in spec.get("containers") or []:
            if isinstance(container, dict) and container.get("name") == "discovery":
                found = image_tag_version(str(container.get("image") or ""))
                if found:
                    return found
    return None


def _cluster_mesh_config(resources: Sequence[Resource], req: AnalyzeRequest) -> dict[str, object] | None:
    """The mesh config the cluster's control plane uses (ConfigMap ``istio`` or ``istio-<rev>``)."""
    found = {res.name: res for res in resources if res.key == "ConfigMap" and res.namespace == req.istio_namespace}
    for name in mesh_configmap_names(req.revision):
        if name in found:
            return mesh_config_from_configmap(found[name].body)
    return None


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a large, acyclic object graph is built and read.

    Loading creates millions of small dicts; each full collection rescans all of them, which
    makes a run superlinear in its input. Reference counting still frees everything."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def analyze(req: AnalyzeRequest, extra: Sequence[Resource] = ()) -> Result:
    """Run the selected analyzers over the request's sources (plus ``extra``) and return the Result."""
    with paused_gc():
        return _analyze(req, extra)


def _analyze(req: AnalyzeRequest, extra: Sequence[Resource]) -> Result:
    analyzers = select(list(req.analyzers))
    snapshot, env, loaded = _snapshot(req, {kind for a in analyzers for kind in a.inputs}, extra)
    inputs = {a.name: tuple(a.inputs) for a in analyzers}
    failed = [*loaded.failed, *(loaded.denied if req.strict_access else ())]
    not_run = failure_reasons(inputs, failed)
    # A kind that is not served has no objects: analyzers run without it, unless it is all they read.
    idle = {a.name for a in analyzers if set(a.inputs) <= loaded.unavailable}
    runnable = [a for a in analyzers if a.name not in not_run and a.name not in idle]
    run = run_analyzers(snapshot, _to_run(runnable, snapshot, env), env)
    skipped = {**run.skipped, **{name: f"kinds not served: {', '.join(sorted(inputs[name]))}"
                                 for name in idle}}
    messages = run.messages
    if req.namespace and not req.all_namespaces:
        messages = [m for m in messages if _in_namespace(m, req.namespace)]
    messages += [Message.build("MSH0501", None, {"check": name, "reason": why.removeprefix("did not run: ")},
                               name, origin="Cluster") for name, why in sorted(not_run.items())]
    suppressions = [Suppression.parse(s) for s in req.suppress]
    final = finalize(messages, suppressions, annotation_suppressed(snapshot))
    notes = _notes(req, loaded, inputs, not_run)
    return Result(final, req.failure_threshold, req.output_threshold, {**skipped, **not_run},
                  [a.name for a in analyzers], not_run=not_run, allow_partial=req.allow_partial,
                  notes=notes)


def _to_run(specs: Sequence[AnalyzerSpec], snapshot: Snapshot, env: Environment) -> list[type[Analyzer]]:
    """The analyzers' classes, leaving out (not even importing) those that would report nothing:
    what they read is what the index ran them over (the default snapshot, whose objects their
    input kinds hold, in the default environment) and they reported nothing there. An analyzer
    whose module is already imported costs nothing and always runs."""
    changed = changed_kinds(snapshot)
    quiet = [s for s in specs if s.quiet and s.module not in sys.modules and not changed.intersection(s.inputs)]
    if quiet and env == default_environment():
        left_out = {s.name for s in quiet}
        specs = [s for s in specs if s.name not in left_out]
    return [s.load() for s in specs]


def _in_namespace(message: Message, namespace: str) -> bool:
    """Whether a finding is about ``namespace`` (its objects, the Namespace itself, or cluster-wide)."""
    if message.namespace is not None:
        return message.namespace == namespace
    return message.kind != "Namespace" or message.name == namespace


def _notes(req: AnalyzeRequest, loaded: Loaded, inputs: dict[str, tuple[str, ...]],
           not_run: dict[str, str]) -> list[str]:
    notes = [*loaded.broken_crds]
    if not req.strict_access:
        notes.append(denied_note(loaded.denied, inputs))
    notes.append(failed_note([*loaded.failed, *(loaded.denied if req.strict_access else ())], not_run,
                             req.allow_partial))
    return [n for n in notes if n]
