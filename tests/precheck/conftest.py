"""Fixtures for precheck: a healthy cluster on the fake API server, and object builders."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from meshctl.cluster.client import reset_clients

ISTIO_IMAGE = "docker.io/istio/{image}:{version}"


@pytest.fixture(autouse=True)
def _no_kubectl(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the kubectl on this machine out of CLI tests (the skew check gets no client version)."""
    monkeypatch.setattr("meshctl.precheck.gather.kubectl_version", lambda: None)


@pytest.fixture(autouse=True)
def _fresh_clients() -> Iterator[None]:
    reset_clients()
    yield
    reset_clients()


def node(name: str, ready: bool = True, cpu: str = "4", memory: str = "16Gi",
         heartbeat: datetime | None = None) -> dict[str, Any]:
    """A Node with a Ready condition (heartbeat: now by default) and allocatable resources."""
    stamp = (heartbeat or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name},
            "status": {"allocatable": {"cpu": cpu, "memory": memory},
                       "conditions": [{"type": "Ready", "status": "True" if ready else "False",
                                       "reason": "KubeletReady" if ready else "KubeletNotReady",
                                       "lastHeartbeatTime": stamp}]}}


def crd(group: str, kind: str, plural: str, labels: dict[str, str] | None = None,
        annotations: dict[str, str] | None = None, namespaced: bool = True) -> dict[str, Any]:
    """A CustomResourceDefinition serving v1."""
    return {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": {"name": f"{plural}.{group}", "labels": labels or {}, "annotations": annotations or {}},
            "spec": {"group": group, "scope": "Namespaced" if namespaced else "Cluster",
                     "names": {"kind": kind, "plural": plural, "singular": kind.lower(),
                               "listKind": f"{kind}List"},
                     "versions": [{"name": "v1", "served": True, "storage": True,
                                   "schema": {"openAPIV3Schema": {
                                       "type": "object", "x-kubernetes-preserve-unknown-fields": True}}}]}}


def gateway_crd(plural: str = "httproutes", kind: str = "HTTPRoute", bundle: str = "v1.4.0") -> dict[str, Any]:
    """A Gateway API CRD with a bundle-version annotation."""
    return crd("gateway.networking.k8s.io", kind, plural,
               annotations={"gateway.networking.k8s.io/bundle-version": bundle})


def namespace(name: str, labels: dict[str, str] | None = None, phase: str = "Active") -> dict[str, Any]:
    """A Namespace."""
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": labels or {}},
            "status": {"phase": phase}}


def istiod(version: str = "1.27.2", revision: str | None = None, available: int = 1) -> dict[str, Any]:
    """An istiod Deployment in istio-system."""
    name = f"istiod-{revision}" if revision else "istiod"
    labels = {"app": "istiod", **({"istio.io/rev": revision} if revision else {})}
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "namespace": "istio-system", "labels": labels},
            "spec": {"replicas": 1, "selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels}, "spec": {"containers": [
                         {"name": "discovery", "image": ISTIO_IMAGE.format(image="pilot", version=version)}]}}},
            "status": {"availableReplicas": available, "replicas": 1}}


def service(name: str, ns: str = "istio-system") -> dict[str, Any]:
    """A Service."""
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": ns},
            "spec": {"ports": [{"port": 443}]}}


def injector(name: str = "istio-sidecar-injector", service_name: str = "istiod",
             default: bool = True) -> dict[str, Any]:
    """An Istio MutatingWebhookConfiguration; ``default`` adds the istio-injection=enabled webhook."""
    hooks = [{"name": "rev.namespace.sidecar-injector.istio.io", "admissionReviewVersions": ["v1"],
              "sideEffects": "None",
              "clientConfig": {"service": {"name": service_name, "namespace": "istio-system", "path": "/inject"}},
              "namespaceSelector": {"matchExpressions": [{"key": "istio.io/rev", "operator": "In",
                                                          "values": ["default"]}]}}]
    if default:
        hooks.append({"name": "namespace.sidecar-injector.istio.io", "admissionReviewVersions": ["v1"],
                      "sideEffects": "None",
                      "clientConfig": {"service": {"name": service_name, "namespace": "istio-system",
                                                   "path": "/inject"}},
                      "namespaceSelector": {"matchExpressions": [{"key": "istio-injection", "operator": "In",
                                                                  "values": ["enabled"]}]}})
    return {"apiVersion": "admissionregistration.k8s.io/v1", "kind": "MutatingWebhookConfiguration",
            "metadata": {"name": name, "labels": {"app": "sidecar-injector"}}, "webhooks": hooks}


def pod(name: str, ns: str, proxy: str | None = None, labels: dict[str, str] | None = None,
        phase: str = "Running") -> dict[str, Any]:
    """A Pod, with an istio-proxy sidecar of ``proxy`` version when given."""
    containers: list[dict[str, Any]] = [{"name": "app", "image": "nginx"}]
    if proxy:
        containers.append({"name": "istio-proxy", "image": ISTIO_IMAGE.format(image="proxyv2", version=proxy)})
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": ns, "labels": labels or {}},
            "spec": {"containers": containers}, "status": {"phase": phase}}


def healthy(fake: Any) -> Any:
    """Seed a cluster where every check passes for a fresh install of the default profile."""
    fake.add(node("node-a"))
    fake.add(node("node-b"))
    fake.add(gateway_crd())
    return fake


@pytest.fixture
def cluster(fake_api: Any) -> Any:
    """The fake API server seeded as a healthy cluster."""
    return healthy(fake_api)
