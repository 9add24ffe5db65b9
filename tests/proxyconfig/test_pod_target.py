"""Pod and deploy/ targets: port-forward through the (fake) API server to a real Envoy's admin port."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlparse

import pytest

from tests.proxyconfig.envoy_harness import CLUSTER

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: backend-7f9c-abcde
  namespace: shop
  labels: {app: backend}
spec:
  containers:
  - {name: backend, image: example/backend}
  - {name: istio-proxy, image: docker.io/istio/proxyv2:1.28.0}
---
apiVersion: v1
kind: Pod
metadata:
  name: plain-1
  namespace: shop
  labels: {app: plain}
spec:
  containers:
  - {name: plain, image: example/plain}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: backend, namespace: shop}
spec:
  selector: {matchLabels: {app: backend}}
  template:
    metadata: {labels: {app: backend}}
    spec: {containers: [{name: backend, image: example/backend}]}
"""


@pytest.fixture
def cluster_with_envoy(fake_api: Any, envoy: Any) -> Any:
    fake_api.load_yaml(POD)
    admin_port = urlparse(envoy.admin_url).port
    fake_api.set_portforward_target("shop", "backend-7f9c-abcde", 15000, admin_port)
    return fake_api


def test_pod_target_port_forwards_to_envoy(run_cli, cluster_with_envoy: Any) -> None:
    res = run_cli("pc", "clusters", "backend-7f9c-abcde.shop", "--kubeconfig", cluster_with_envoy.kubeconfig,
                  "-o", "rows-json")
    assert res.exit_code == 0, res.stderr
    assert CLUSTER in {row["name"] for row in json.loads(res.stdout)}
    assert cluster_with_envoy.requests[("GET", "/api/v1/namespaces/shop/pods/backend-7f9c-abcde/portforward")] >= 1


def test_deploy_target_picks_a_pod(run_cli, cluster_with_envoy: Any) -> None:
    res = run_cli("pc", "dump", "deploy/backend.shop", "--kubeconfig", cluster_with_envoy.kubeconfig)
    assert res.exit_code == 0, res.stderr
    assert "ClustersConfigDump" in res.stdout or "clusters" in res.stdout.lower()


def test_pod_without_sidecar_is_one_line_error(run_cli, cluster_with_envoy: Any) -> None:
    res = run_cli("pc", "dump", "plain-1.shop", "--kubeconfig", cluster_with_envoy.kubeconfig)
    assert res.exit_code == 1
    assert res.stderr.count("\n") == 1 and ("istio-proxy" in res.stderr or "sidecar" in res.stderr)


def test_missing_pod_is_one_line_error(run_cli, cluster_with_envoy: Any) -> None:
    res = run_cli("pc", "dump", "nope.shop", "--kubeconfig", cluster_with_envoy.kubeconfig)
    assert res.exit_code == 1 and res.stderr.count("\n") == 1 and "nope" in res.stderr
