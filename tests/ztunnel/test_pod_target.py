"""ztunnel-config through the (fake) API server: choosing a ztunnel pod and port-forwarding to its admin port."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import pytest

from meshctl.sources.ztunnel import choose_pod

from .test_ztunnel_config import admin_url  # noqa: F401 - fixture

PODS = """\
apiVersion: v1
kind: Pod
metadata: {name: ztunnel-aaaaa, namespace: istio-system, labels: {app: ztunnel}}
spec: {nodeName: worker-1, containers: [{name: istio-proxy, image: docker.io/istio/ztunnel:1.28.0}]}
status: {phase: Running}
---
apiVersion: v1
kind: Pod
metadata: {name: ztunnel-bbbbb, namespace: istio-system, labels: {app: ztunnel}}
spec: {nodeName: worker-2, containers: [{name: istio-proxy, image: docker.io/istio/ztunnel:1.28.0}]}
status: {phase: Running}
"""


def _pod(name: str, node: str, phase: str) -> dict[str, Any]:
    return {"metadata": {"name": name}, "spec": {"nodeName": node}, "status": {"phase": phase}}


def test_choose_pod_prefers_node_then_running_then_name() -> None:
    pods = [_pod("z-c", "n1", "Running"), _pod("z-a", "n1", "Pending"), _pod("z-b", "n2", "Running")]
    assert choose_pod(pods, "")["metadata"]["name"] == "z-b"
    assert choose_pod(pods, "n1")["metadata"]["name"] == "z-c"
    assert choose_pod(pods, "n3") is None


@pytest.fixture
def cluster(fake_api: Any, admin_url: str) -> Any:  # noqa: F811 - the fixture above
    fake_api.load_yaml(PODS)
    port = urlparse(admin_url).port
    fake_api.set_portforward_target("istio-system", "ztunnel-bbbbb", 15000, port)
    return fake_api


def test_node_picks_its_ztunnel_and_port_forwards(run_cli, cluster: Any) -> None:
    res = run_cli("ztunnel-config", "workloads", "--node", "worker-2", "--kubeconfig", cluster.kubeconfig)
    assert res.exit_code == 0, res.stderr
    names = [line.split()[1] for line in res.stdout.splitlines()[1:]]
    assert names == ["batch-6d5c4b3a2-z7y6x", "cart-7f9c6d5b8-q9w8e"]
    assert cluster.requests[("GET", "/api/v1/namespaces/istio-system/pods/ztunnel-bbbbb/portforward")] >= 1


def test_named_pod_is_port_forwarded(run_cli, cluster: Any) -> None:
    res = run_cli("zc", "policies", "ztunnel-bbbbb.istio-system", "--kubeconfig", cluster.kubeconfig)
    assert res.exit_code == 0, res.stderr
    assert "cart-from-shop" in res.stdout


def test_no_ztunnel_pod_is_a_tool_failure(run_cli, cluster: Any) -> None:
    res = run_cli("zc", "workloads", "--node", "worker-9", "--kubeconfig", cluster.kubeconfig)
    assert res.exit_code == 1
    assert "no ztunnel pod (app=ztunnel) in namespace istio-system on node worker-9" in res.stderr


def test_missing_named_pod(run_cli, cluster: Any) -> None:
    res = run_cli("zc", "workloads", "ztunnel-zzzzz", "--kubeconfig", cluster.kubeconfig)
    assert res.exit_code == 1 and "pod istio-system/ztunnel-zzzzz not found" in res.stderr
