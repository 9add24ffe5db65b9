"""The implicit environment of an analysis, as istioctl sets it up."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from meshctl.conventions.labels import PROXY_CONTAINER
from meshctl.resource import Origin, Resource

IGNORED_NAMESPACES = frozenset({"kube-system", "kube-public", "kube-node-lease", "local-path-storage"})
INGRESS_LABELS = {"istio": "ingressgateway"}


def drop_ignored_namespaces(resources: Iterable[Resource]) -> list[Resource]:
    """Resources outside the system namespaces (and Namespace objects not named like them)."""
    out = []
    for res in resources:
        if res.namespace in IGNORED_NAMESPACES:
            continue
        if res.key == "Namespace" and res.name in IGNORED_NAMESPACES:
            continue
        out.append(res)
    return out


def default_resources(mesh_config: dict[str, Any], istio_namespace: str) -> list[Resource]:
    """istioctl's synthetic ingress gateway Pod and Service, unless ingress is OFF."""
    if mesh_config.get("ingressControllerMode") == "OFF":
        return []
    origin = Origin(cluster="default")
    pod = {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "istio-ingressgateway-dummypod", "namespace": istio_namespace,
                     "labels": dict(INGRESS_LABELS)},
        "spec": {"containers": [{"name": PROXY_CONTAINER, "image": "proxyv2"}]},
    }
    ports = [("http2", 80), ("https", 443), ("tcp", 31400), ("tls", 15443)]
    service = {
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": str(mesh_config.get("ingressService") or "istio-ingressgateway"),
                     "namespace": istio_namespace},
        "spec": {"selector": dict(INGRESS_LABELS),
                 "ports": [{"name": n, "port": p, "protocol": "TCP"} for n, p in ports]},
    }
    return [Resource.from_dict(pod, origin), Resource.from_dict(service, origin)]


def prepare(resources: Iterable[Resource], mesh_config: dict[str, Any],
            istio_namespace: str) -> list[Resource]:
    """Defaults first (so inputs override them), then the inputs, minus ignored namespaces."""
    return drop_ignored_namespaces([*default_resources(mesh_config, istio_namespace), *resources])
