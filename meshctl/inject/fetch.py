"""Reading what injection needs from a cluster client (the client does the talking)."""

from __future__ import annotations

from typing import Any

from meshctl.inject.values import (
    INJECTOR_CONFIGMAP,
    MESH_CONFIGMAP,
    helm_values_from_configmap,
    mesh_from_configmap,
)

Obj = dict[str, Any]


def _suffixed(name: str, revision: str | None) -> str:
    return f"{name}-{revision}" if revision and revision != "default" else name


def injector_values(client: Any, istio_namespace: str, revision: str | None) -> tuple[Obj, Obj]:
    """(Helm values, mesh config) from the injector and mesh ConfigMaps; empty when absent."""
    cm = client.get("ConfigMap", _suffixed(INJECTOR_CONFIGMAP, revision), namespace=istio_namespace)
    mesh_cm = client.get("ConfigMap", _suffixed(MESH_CONFIGMAP, revision), namespace=istio_namespace)
    where = f"ConfigMap {istio_namespace}/"
    helm = helm_values_from_configmap(cm, where + INJECTOR_CONFIGMAP) if cm else {}
    mesh = mesh_from_configmap(mesh_cm, where + MESH_CONFIGMAP) if mesh_cm else {}
    return helm, mesh


def webhook_configs(client: Any) -> list[Obj]:
    """Every MutatingWebhookConfiguration in the cluster."""
    return list(client.list("MutatingWebhookConfiguration"))


def namespace(client: Any, name: str) -> Obj:
    """A namespace object; a bare stub when it does not exist (nothing matches it then)."""
    return client.get("Namespace", name) or {"metadata": {"name": name, "labels": {}}}
