"""The analyze use case: sources -> snapshot -> analyzers -> Result."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from meshctl.analysis.context import Environment, utc_now
from meshctl.analysis.engine import needed_kinds, run_analyzers
from meshctl.analysis.environment import prepare
from meshctl.analysis.registry import select
from meshctl.analysis.result import Result, Suppression, annotation_suppressed, finalize
from meshctl.catalogue import Level
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

if TYPE_CHECKING:
    from meshctl.cluster.options import ClusterOptions


@dataclass(frozen=True)
class AnalyzeRequest:
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
    options: dict[str, object] = field(default_factory=dict)


def _with_namespace(resources: list[Resource], namespace: str | None) -> list[Resource]:
    """Give namespaced resources without one the namespace asked for with ``-n``."""
    if not namespace:
        return resources
    out = []
    for res in resources:
        if res.namespace is None and res.namespaced:
            body = {**res.body, "metadata": {**res.metadata, "namespace": namespace}}
            res = replace(Resource.from_dict(body, res.origin))
        out.append(res)
    return out


def _load(req: AnalyzeRequest, kinds: set[str]) -> tuple[list[Resource], frozenset[str]]:
    paths = expand_paths(req.files)
    if req.files and not paths:
        raise InputError(f"no .yaml, .yml or .json files in {', '.join(req.files)}")
    files = _with_namespace(load_files(paths, req.ignore_unknown), req.namespace)
    if not req.use_kube:
        return files, frozenset()
    from meshctl.sources.live import load_live

    assert req.cluster is not None
    live = load_live(req.cluster, kinds, req.namespace, req.all_namespaces,
                     istio_namespace=req.istio_namespace)
    from_files = {res.key for res in files}
    return [*live.resources, *files], live.unavailable - from_files


def build_environment(req: AnalyzeRequest) -> Environment:
    """The analysis environment: mesh config and networks (defaults or files), clock, options."""
    return Environment(load_mesh_config(req.mesh_config_file), load_mesh_networks(req.mesh_networks_file),
                       req.istio_namespace, req.revision, req.clock, req.cert_horizon, dict(req.options))


def load_snapshot(req: AnalyzeRequest, kinds: set[str], extra: Sequence[Resource] = ()
                  ) -> tuple[Snapshot, Environment, frozenset[str]]:
    """The snapshot of the request's sources (plus ``extra``), its environment, and unserved kinds."""
    env = build_environment(req)
    resources, unavailable = _load(req, kinds | {"ConfigMap"} if req.use_kube else kinds)
    if req.use_kube and not req.mesh_config_file:
        env = replace(env, mesh_config=_cluster_mesh_config(resources, req) or env.mesh_config)
    snapshot = Snapshot(prepare([*resources, *extra], env.mesh_config, req.istio_namespace))
    return snapshot, env, unavailable


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
    snapshot, env, unavailable = load_snapshot(req, needed_kinds(analyzers), extra)
    run = run_analyzers(snapshot, analyzers, env, unavailable)
    messages = run.messages
    if req.namespace and not req.all_namespaces:
        messages = [m for m in messages if m.namespace in (req.namespace, None)]
    suppressions = [Suppression.parse(s) for s in req.suppress]
    final = finalize(messages, suppressions, annotation_suppressed(snapshot))
    return Result(final, req.failure_threshold, req.output_threshold, run.skipped,
                  [a.name for a in analyzers])
