"""Arrange state in a real API server: apply manifests, CRDs, namespaces, RBAC for token users."""

from __future__ import annotations

import json
import time
import urllib.error
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from .server import RealKube

# kind -> (api prefix, plural, namespaced) for the core kinds tests arrange; CRDs are looked up by discovery.
_CORE = {
    "Namespace": ("/api/v1", "namespaces", False), "Pod": ("/api/v1", "pods", True),
    "Service": ("/api/v1", "services", True), "ConfigMap": ("/api/v1", "configmaps", True),
    "Secret": ("/api/v1", "secrets", True), "ServiceAccount": ("/api/v1", "serviceaccounts", True),
    "Endpoints": ("/api/v1", "endpoints", True),
}


def resource_path(kube: RealKube, obj: dict[str, Any]) -> str:
    """The collection path of ``obj``'s kind in its namespace (discovery for anything not core)."""
    kind = obj["kind"]
    namespace = (obj.get("metadata") or {}).get("namespace") or "default"
    if kind in _CORE and obj.get("apiVersion", "v1") == "v1":
        prefix, plural, namespaced = _CORE[kind]
    else:
        prefix = f"/apis/{obj['apiVersion']}"
        resources = kube.request("GET", prefix)["resources"]
        match = next(r for r in resources if r["kind"] == kind and "/" not in r["name"])
        plural, namespaced = match["name"], match["namespaced"]
    return f"{prefix}/namespaces/{namespace}/{plural}" if namespaced else f"{prefix}/{plural}"


def apply(kube: RealKube, obj: dict[str, Any], user: str = "admin", manager: str = "test") -> dict[str, Any]:
    """Server-side apply ``obj`` (forced) as ``user``."""
    path = f"{resource_path(kube, obj)}/{obj['metadata']['name']}"
    return kube.request("PATCH", path, json.dumps(obj), user=user, content_type="application/apply-patch+yaml",
                        query=f"fieldManager={manager}&force=true")


def apply_all(kube: RealKube, objects: Iterable[dict[str, Any]], **kwargs: Any) -> None:
    """Apply every object, CRDs first, and wait for the CRDs to be established."""
    objs = [o for o in objects if o]
    crds = [o for o in objs if o.get("kind") == "CustomResourceDefinition"]
    for crd in crds:
        apply(kube, crd, **kwargs)
    wait_established(kube, [c["metadata"]["name"] for c in crds])
    for obj in objs:
        if obj.get("kind") != "CustomResourceDefinition":
            apply(kube, obj, **kwargs)


def apply_yaml(kube: RealKube, text: str, **kwargs: Any) -> None:
    """Apply every document of a YAML stream."""
    apply_all(kube, yaml.safe_load_all(text), **kwargs)


def wait_established(kube: RealKube, names: Iterable[str], timeout: float = 30.0) -> None:
    """Wait until every named CRD reports Established."""
    pending = set(names)
    end = time.monotonic() + timeout
    while pending and time.monotonic() < end:
        for name in list(pending):
            crd = kube.request("GET", f"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{name}")
            if any(c["type"] == "Established" and c["status"] == "True"
                   for c in (crd.get("status") or {}).get("conditions") or []):
                pending.discard(name)
        time.sleep(0.1)
    if pending:
        raise RuntimeError(f"CRDs not established: {sorted(pending)}")


def istio_crds(shared_istio: Path) -> list[dict[str, Any]]:
    """Istio's CRDs from its base chart (``charts/base/files/crd-all.gen.yaml``)."""
    text = (shared_istio / "charts" / "base" / "files" / "crd-all.gen.yaml").read_text()
    return [d for d in yaml.safe_load_all(text) if d and d.get("kind") == "CustomResourceDefinition"]


def namespace(kube: RealKube, name: str, labels: dict[str, str] | None = None) -> None:
    """Create or update a namespace with ``labels``."""
    apply(kube, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": labels or {}}})


def grant(kube: RealKube, user: str, namespace_name: str | None, rules: list[dict[str, Any]]) -> None:
    """Give ``user`` a Role in ``namespace_name`` (or a ClusterRole when None) with ``rules``."""
    name = f"meshctl-test-{user}"
    if namespace_name is None:
        apply(kube, {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                     "metadata": {"name": name}, "rules": rules})
        apply(kube, {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
                     "metadata": {"name": name},
                     "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": name},
                     "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": user}]})
        return
    meta = {"name": name, "namespace": namespace_name}
    apply(kube, {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": meta, "rules": rules})
    apply(kube, {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": meta,
                 "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": name},
                 "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": user}]})


def delete_namespace(kube: RealKube, name: str) -> None:
    """Delete a namespace and clear its finalizer (no controller here does it), so it goes at once."""
    try:
        kube.request("DELETE", f"/api/v1/namespaces/{name}")
        ns = kube.request("GET", f"/api/v1/namespaces/{name}")
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return
        raise
    ns["spec"]["finalizers"] = []
    kube.request("PUT", f"/api/v1/namespaces/{name}/finalize", ns)


def exists(kube: RealKube, path: str) -> bool:
    """Whether GET ``path`` answers 200."""
    try:
        kube.request("GET", path)
        return True
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return False
        raise
