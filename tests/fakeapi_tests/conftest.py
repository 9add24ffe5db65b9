"""Shared helpers for the fake API server's own tests."""

from __future__ import annotations

from typing import Any

import pytest

ISTIO_CRD = {
    "apiVersion": "apiextensions.k8s.io/v1",
    "kind": "CustomResourceDefinition",
    "metadata": {"name": "virtualservices.networking.istio.io"},
    "spec": {
        "group": "networking.istio.io",
        "scope": "Namespaced",
        "names": {"plural": "virtualservices", "singular": "virtualservice", "kind": "VirtualService",
                  "listKind": "VirtualServiceList", "shortNames": ["vs"], "categories": ["istio-io"]},
        "versions": [
            {"name": "v1", "served": True, "storage": True,
             "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}}},
            {"name": "v1beta1", "served": True, "storage": False,
             "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}}},
        ],
    },
}


def pod(name: str, namespace: str = "default", labels: dict[str, str] | None = None, phase: str = "Running",
        node: str = "node-1", containers: tuple[str, ...] = ("app",)) -> dict[str, Any]:
    """A minimal pod manifest."""
    return {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace, "labels": labels or {}},
        "spec": {"nodeName": node, "containers": [{"name": c, "image": f"{c}:1"} for c in containers]},
        "status": {"phase": phase},
    }


@pytest.fixture
def core(kube_api_client: Any) -> Any:
    """CoreV1Api on the fake server."""
    from kubernetes import client

    return client.CoreV1Api(kube_api_client)


@pytest.fixture
def apps(kube_api_client: Any) -> Any:
    """AppsV1Api on the fake server."""
    from kubernetes import client

    return client.AppsV1Api(kube_api_client)


@pytest.fixture
def custom(kube_api_client: Any) -> Any:
    """CustomObjectsApi on the fake server."""
    from kubernetes import client

    return client.CustomObjectsApi(kube_api_client)


def raw(fake_api: Any, method: str, path: str, body: Any = None, content_type: str = "application/json",
        token: str | None = "default") -> tuple[int, dict[str, str], Any]:
    """One request on the wire (for checks the typed client hides): (status, headers, decoded body)."""
    import http.client
    import json
    import ssl

    ctx = ssl.create_default_context(cafile=fake_api.ca_file)
    conn = http.client.HTTPSConnection("127.0.0.1", fake_api.port, context=ctx, timeout=10)
    headers = {"Content-Type": content_type}
    if token is not None:
        headers["Authorization"] = f"Bearer {fake_api.token if token == 'default' else token}"
    data = body if isinstance(body, (bytes, str)) or body is None else json.dumps(body)
    try:
        conn.request(method, path, body=data, headers=headers)
        resp = conn.getresponse()
        payload = resp.read()
    finally:
        conn.close()
    is_json = resp.getheader("Content-Type", "").startswith("application/json")
    return resp.status, dict(resp.getheaders()), json.loads(payload) if is_json else payload.decode()
