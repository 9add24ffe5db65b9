"""The install manifest: Istio's charts rendered by Helm for a configuration, in apply order.

:func:`render_objects` is the plain entry point (profile and ``--set`` in, object dicts out);
:func:`render_config` renders an already merged :class:`~meshctl.install.config.InstallConfig`.
Objects come out exactly as Helm renders them; only the order is meshctl's: CRDs first, then
Helm's own install order by kind, kinds Helm does not rank after those, then namespace and name.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from meshctl import ISTIO_VERSION
from meshctl.install.charts import ISTIO_REPO, ChartSet, resolve
from meshctl.install.config import InstallConfig, build_config
from meshctl.install.engine import render_chart
from meshctl.install.plan import ChartRelease, releases

Obj = dict[str, Any]
#: Helm's install order by kind (``releaseutil.InstallOrder``), with CRDs moved to the front.
ORDER = ("CustomResourceDefinition", "PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange",
         "PodSecurityPolicy", "PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList", "ConfigMap",
         "StorageClass", "PersistentVolume", "PersistentVolumeClaim", "ClusterRole", "ClusterRoleList",
         "ClusterRoleBinding", "ClusterRoleBindingList", "Role", "RoleList", "RoleBinding", "RoleBindingList",
         "Service", "DaemonSet", "Pod", "ReplicationController", "ReplicaSet", "Deployment",
         "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress", "APIService",
         "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration")
_RANK = {kind: i for i, kind in enumerate(ORDER)}


@dataclass(frozen=True)
class Rendered:
    """A rendered install: the objects in apply order, and which release rendered each."""

    objects: list[Obj]
    component_of: dict[tuple[str, str, str, str], str]
    releases: list[ChartRelease]
    notes: list[str]


def sort_key(obj: Obj) -> tuple[int, str, str, str]:
    """Apply order: kind rank, kind (for unranked kinds), namespace, name."""
    meta = obj.get("metadata") or {}
    kind = str(obj.get("kind") or "")
    return _RANK.get(kind, len(ORDER)), kind, meta.get("namespace") or "", meta.get("name") or ""


def identity(obj: Obj) -> tuple[str, str, str, str]:
    """(API group, kind, namespace, name): what makes two objects the same object."""
    meta = obj.get("metadata") or {}
    group = str(obj.get("apiVersion") or "").rpartition("/")[0]
    return group, str(obj.get("kind") or ""), meta.get("namespace") or "", meta.get("name") or ""


def describe(obj: Obj) -> str:
    """``Kind namespace/name`` (``Kind name`` for cluster-scoped objects)."""
    meta = obj.get("metadata") or {}
    ns = meta.get("namespace")
    return f"{obj.get('kind')} {ns}/{meta.get('name')}" if ns else f"{obj.get('kind')} {meta.get('name')}"


def render_config(cfg: InstallConfig, charts: ChartSet) -> Rendered:
    """Render every release of the configuration; objects de-duplicated (first wins), in apply order."""
    plan = releases(cfg)
    unique: dict[tuple[str, str, str, str], Obj] = {}
    component_of: dict[tuple[str, str, str, str], str] = {}
    for rel in plan:
        for obj in render_chart(charts.path(rel.chart), rel.values, rel.name, cfg.namespace):
            obj.setdefault("metadata", {})
            key = identity(obj)
            if key not in unique:
                unique[key] = obj
                component_of[key] = rel.component
    notes = [f"{path} is not translated for Istio's charts and has no effect; set the charts' values instead"
             for path in cfg.untranslated]
    return Rendered(sorted(unique.values(), key=sort_key), component_of, plan, notes)


def render_objects(profile: str = "default", set_values: Sequence[str] = (), charts_dir: Path | None = None,
                   revision: str | None = None, files: Sequence[str] = (), version: str = ISTIO_VERSION,
                   repo: str = ISTIO_REPO) -> list[Obj]:
    """The objects ``meshctl manifest generate`` prints for a profile, ``--set`` values and ``-f`` files."""
    cfg = build_config(profile, files, set_values, revision)
    return render_config(cfg, resolve(charts_dir, version, repo)).objects


def render(objects: Sequence[Obj], fmt: str) -> str:
    """YAML documents (``---`` separated) or a JSON ``List``; keys sorted, so the bytes are stable."""
    if fmt == "json":
        doc: dict[str, Any] = {"apiVersion": "v1", "kind": "List", "items": list(objects)}
        return json.dumps(doc, sort_keys=True, indent=2) + "\n"
    return "".join("---\n" + yaml.safe_dump(o, sort_keys=True, default_flow_style=False, width=120)
                   for o in objects)
