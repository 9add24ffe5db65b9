"""The whole install manifest: every component's objects in dependency order, rendered stably."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import yaml

from meshctl.install import base, gateways, meshconfig, nodeagents, pilot, webhooks
from meshctl.install.config import InstallConfig
from meshctl.install.meta import Obj

#: Apply phases, in order; within a phase objects are ordered by kind, namespace and name.
PHASES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("namespaces", ("Namespace",)),
    ("crds", ("CustomResourceDefinition",)),
    ("rbac", ("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding")),
    ("config", ("ConfigMap",)),
    ("webhooks", ("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration")),
    ("workloads", ("Service", "Deployment", "DaemonSet", "PodDisruptionBudget", "HorizontalPodAutoscaler")),
)
_RANK = {kind: (p, k) for p, (_, kinds) in enumerate(PHASES) for k, kind in enumerate(kinds)}
FORMATS = ("yaml", "json")


def phase_of(obj: Obj) -> str:
    """The apply phase an object belongs to."""
    return PHASES[_RANK[obj["kind"]][0]][0]


def sort_key(obj: Obj) -> tuple[int, int, str, str]:
    """Dependency order: phase, kind within the phase, namespace, name."""
    phase, kind = _RANK.get(obj["kind"], (len(PHASES), 0))
    meta = obj.get("metadata") or {}
    return phase, kind, meta.get("namespace") or "", meta.get("name") or ""


def identity(obj: Obj) -> tuple[str, str, str, str]:
    """(apiVersion, kind, namespace, name): what makes two objects the same object."""
    meta = obj.get("metadata") or {}
    return obj.get("apiVersion", ""), obj["kind"], meta.get("namespace") or "", meta.get("name") or ""


def build(cfg: InstallConfig) -> list[Obj]:
    """Every object the configuration installs, de-duplicated and in dependency order."""
    parts = [*base.build(cfg), *meshconfig.build(cfg), *webhooks.build(cfg), *pilot.build(cfg),
             *gateways.build(cfg), *nodeagents.build(cfg)]
    if parts:
        parts.insert(0, base.namespace(cfg))
    unique: dict[tuple[str, str, str, str], Obj] = {}
    for obj in parts:
        unique.setdefault(identity(obj), obj)
    return sorted(unique.values(), key=sort_key)


def describe(obj: Obj) -> str:
    """``Kind namespace/name`` (``Kind name`` for cluster-scoped objects)."""
    meta = obj.get("metadata") or {}
    ns = meta.get("namespace")
    return f"{obj['kind']} {ns}/{meta['name']}" if ns else f"{obj['kind']} {meta['name']}"


def render(objects: Sequence[Obj], fmt: str) -> str:
    """YAML documents (``---`` separated) or a JSON ``List``; keys sorted, so the bytes are stable."""
    if fmt == "json":
        doc: dict[str, Any] = {"apiVersion": "v1", "kind": "List", "items": list(objects)}
        return json.dumps(doc, sort_keys=True, indent=2) + "\n"
    return "".join("---\n" + yaml.safe_dump(o, sort_keys=True, default_flow_style=False, width=120)
                   for o in objects)
