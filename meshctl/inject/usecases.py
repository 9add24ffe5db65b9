"""The use cases of ``kube-inject`` and ``inject iptables``: plain requests in, plain results out.

Where the injector's values come from (:func:`injection_values`): files (``--injection-config``,
``--values``, ``--mesh-config``) over the cluster's ``istio-sidecar-injector`` and ``istio``
ConfigMaps of the revision when the cluster is used, else the istiod chart's defaults.
Using the cluster when Istio (or the revision) is not installed there is an error, never a
silent fall back to the defaults. The cluster client comes from ``connect()`` (made by
:mod:`meshctl.sources.cluster`), called only when the cluster is needed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from meshctl.analysis.selectors import injector_configmap_name
from meshctl.conventions.labels import INJECTOR_CONFIGMAP
from meshctl.errors import ClusterError, InputError, UsageError
from meshctl.inject import values as v
from meshctl.mesh import deep_merge, mesh_configmap_names

Connect = Callable[[], Any]


@dataclass(frozen=True)
class ValueSources:
    """Where the injector's values come from."""

    injection_config: str | None = None
    mesh_config: str | None = None
    values_file: str | None = None
    revision: str | None = None
    native_sidecar: bool = False
    #: True: read the cluster; False: never; None: when no file is given and a cluster is configured.
    use_kube: bool | None = None
    cluster_configured: bool = False
    istio_namespace: str = "istio-system"

    @property
    def offline(self) -> bool:
        """Whether any value file is given."""
        return bool(self.injection_config or self.mesh_config or self.values_file)

    @property
    def reads_cluster(self) -> bool:
        """Whether the values are read from the cluster."""
        if self.use_kube is not None:
            return self.use_kube
        return not self.offline and self.cluster_configured


def _configmap(client: Any, name: str, namespace: str) -> dict[str, Any] | None:
    try:
        return client.get("ConfigMap", name, namespace=namespace)  # type: ignore[no-any-return]
    except ClusterError as exc:
        raise ClusterError(f"cannot read ConfigMap {namespace}/{name}: {exc}") from None


def _installed_revisions(client: Any, namespace: str) -> list[str]:
    try:
        found = client.list("ConfigMap", namespace=namespace)
    except ClusterError:
        return []
    prefix = INJECTOR_CONFIGMAP
    names = [str((c.get("metadata") or {}).get("name", "")) for c in found]
    return sorted("default" if n == prefix else n[len(prefix) + 1:] for n in names
                  if n == prefix or n.startswith(prefix + "-"))


def cluster_values(client: Any, namespace: str, revision: str | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """(Helm values, mesh config) of a revision from the cluster; ClusterError when it is not installed."""
    rev = revision or "default"
    name = injector_configmap_name(rev)
    injector = _configmap(client, name, namespace)
    if injector is None:
        revisions = _installed_revisions(client, namespace)
        if not revisions:
            raise ClusterError(f"Istio is not installed: no ConfigMap {name} in namespace {namespace} (use "
                               "--istioNamespace, or give the values with --values/--injection-config and "
                               "--mesh-config, or --no-use-kube for the chart's defaults)")
        raise ClusterError(f"revision {rev!r} is not installed in namespace {namespace}: no ConfigMap {name} "
                           f"(installed: {', '.join(revisions)})")
    helm = v.helm_values_from_configmap(injector, f"ConfigMap {namespace}/{name}")
    for mesh_name in mesh_configmap_names(rev):
        mesh_cm = _configmap(client, mesh_name, namespace)
        if mesh_cm is not None:
            return helm, v.mesh_from_configmap(mesh_cm, f"ConfigMap {namespace}/{mesh_name}")
    raise ClusterError(f"revision {rev!r} has no mesh config in namespace {namespace}: "
                       f"no ConfigMap {' or '.join(mesh_configmap_names(rev))}")


def injection_values(src: ValueSources, connect: Connect) -> v.InjectionValues:
    """The injector's values: the cluster's ConfigMaps (when used), then the files over them."""
    helm: dict[str, Any] = {}
    mesh: dict[str, Any] = {}
    if src.reads_cluster:
        helm, mesh = cluster_values(connect(), src.istio_namespace, src.revision)
    if src.injection_config:
        helm = deep_merge(helm, v.injection_config_from_file(src.injection_config))
    if src.values_file:
        helm = deep_merge(helm, v.values_from_file(src.values_file))
    if src.mesh_config:
        mesh = deep_merge(mesh, v.mesh_from_file(src.mesh_config))
    return v.build_values(helm, mesh, src.revision, src.native_sidecar)


@dataclass(frozen=True)
class KubeInjectRequest:
    """kube-inject: the manifest paths (``-`` for stdin) and where the values come from."""

    files: Sequence[str]
    sources: ValueSources = field(default_factory=ValueSources)


@dataclass
class KubeInjectResult:
    """The injected manifest (YAML) and what was left alone and why."""

    text: str
    warnings: list[str] = field(default_factory=list)


def kube_inject(req: KubeInjectRequest, connect: Connect) -> KubeInjectResult:
    """Inject every pod template of the given manifests."""
    from meshctl.inject.manifests import inject_text
    from meshctl.sources.files import expand_paths, read_text

    values = injection_values(req.sources, connect)
    warnings: list[str] = []
    parts = [inject_text(read_text(p), p, values, warnings) for p in expand_paths(list(req.files))]
    return KubeInjectResult("---\n".join(p for p in parts if p), warnings)


@dataclass(frozen=True)
class IptablesRequest:
    """inject iptables: a pod in the cluster, or pods and workloads in files."""

    pod: str | None = None
    files: Sequence[str] = ()
    namespace: str | None = None
    fmt: str = "save"
    sources: ValueSources = field(default_factory=ValueSources)


@dataclass
class IptablesResult:
    """The rules text and the pods that have none (with why)."""

    text: str
    notes: list[str] = field(default_factory=list)


def _iptables_targets(req: IptablesRequest, connect: Connect) -> list[Any]:
    from meshctl.inject.workloads import pod_template
    from meshctl.resource import Resource
    from meshctl.sources.files import load_paths

    if req.files:
        found = [r for r in load_paths(list(req.files)) if pod_template(r.body) is not None]
        if req.pod:
            found = [r for r in found if r.name == req.pod.rpartition("/")[2]]
        if not found:
            raise InputError("no pod or workload with a pod template in the given files")
        return found
    if not req.pod:
        raise UsageError("give a pod name or -f FILE")
    obj = connect().get("Pod", req.pod, namespace=req.namespace)
    if obj is None:
        raise ClusterError(f"pod {req.pod} not found")
    return [Resource.from_dict(obj)]


def iptables_preview(req: IptablesRequest, connect: Connect) -> IptablesResult:
    """The nat rules istio-init installs, from the same arguments kube-inject writes."""
    from meshctl.inject import iptables as ipt
    from meshctl.inject.annotations import INIT_NAME
    from meshctl.inject.podspec import capture_for_template
    from meshctl.inject.workloads import pod_template

    if req.fmt not in ("save", "restore"):
        raise UsageError(f"--format must be save or restore, not {req.fmt!r}")
    render = ipt.render_save if req.fmt == "save" else ipt.render_restore
    targets = _iptables_targets(req, connect)
    values = None
    chunks: list[str] = []
    notes: list[str] = []
    for res in targets:
        tpl = pod_template(res.body) or {}
        init = [c for c in (tpl.get("spec") or {}).get("initContainers") or [] if c.get("name") == INIT_NAME]
        if not init and (skip := ipt.not_injected(tpl)):
            notes.append(f"{res.friendly_name()} will not be injected ({skip}): no istio-init, no nat rules")
            continue
        if init:
            cfg = ipt.from_args([str(x) for x in init[0].get("args") or []])
        else:
            values = values or injection_values(req.sources, connect)
            cfg = capture_for_template(tpl, values)
        header = f"# {res.friendly_name()}\n" if len(targets) > 1 else ""
        chunks.append(header + (render(cfg) or "# no traffic capture (interception mode NONE)\n"))
    return IptablesResult("".join(chunks), notes)
