"""Ownership labels and object skeletons shared by every manifest builder."""

from __future__ import annotations

from typing import Any

from meshctl.install.config import InstallConfig

Obj = dict[str, Any]
MANAGED_BY = "app.kubernetes.io/managed-by"
MANAGER = "meshctl"
REVISION = "install.meshctl.io/revision"
COMPONENT = "install.meshctl.io/component"
ISTIO_REV = "istio.io/rev"


def owner_labels(cfg: InstallConfig, component: str) -> dict[str, str]:
    """The labels that mark an object as installed by meshctl for a revision."""
    return {MANAGED_BY: MANAGER, REVISION: cfg.rev_label, COMPONENT: component, ISTIO_REV: cfg.rev_label}


def selector(cfg: InstallConfig) -> str:
    """The label selector that finds what meshctl installed for this revision."""
    return f"{MANAGED_BY}={MANAGER},{REVISION}={cfg.rev_label}"


def new(api_version: str, kind: str, name: str, cfg: InstallConfig, component: str,
        namespaced: bool = True, labels: dict[str, str] | None = None) -> Obj:
    """An object with apiVersion, kind and metadata (name, namespace, sorted labels)."""
    meta: Obj = {"name": name}
    if namespaced:
        meta["namespace"] = cfg.namespace
    meta["labels"] = dict(sorted({**(labels or {}), **owner_labels(cfg, component)}.items()))
    return {"apiVersion": api_version, "kind": kind, "metadata": meta}


def resources_of(settings: dict[str, Any]) -> Obj:
    """A container's ``resources`` from k8s settings, quantities as strings."""
    out: Obj = {}
    for section in ("requests", "limits"):
        values = (settings or {}).get(section) or {}
        if values:
            out[section] = {k: str(v) for k, v in sorted(values.items())}
    return out


def env_list(env: dict[str, Any] | list[dict[str, Any]] | None) -> list[Obj]:
    """Container env entries from a map or a list, sorted by name, values as strings."""
    if isinstance(env, dict):
        items = [{"name": k, "value": _text(v)} for k, v in env.items()]
    else:
        items = [{"name": e["name"], "value": _text(e.get("value", ""))} for e in env or []]
    return sorted(items, key=lambda e: e["name"])


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
