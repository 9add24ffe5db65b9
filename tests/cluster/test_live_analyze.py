"""analyze against the (fake) cluster: the cluster's mesh config, and files merged over the cluster view."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

MESH_CONFIGMAP = {
    "apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "istio", "namespace": "istio-system"},
    "data": {"mesh": "defaultConfig:\n  proxyMetadata:\n    ISTIO_ENABLE_LAZY: 'true'\n"},
}
SERVICE = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "default"},
           "spec": {"selector": {"app": "web"}, "ports": [{"name": "web", "port": 80}]}}


def test_cluster_mesh_config_is_used(fake_api: Any, run_cli: Any) -> None:
    fake_api.add(MESH_CONFIGMAP)
    res = run_cli("analyze", "-A", "--kubeconfig", fake_api.kubeconfig, "-o", "json",
                  "--analyzer", "meshconfig.ProxyMetadataAnalyzer")
    found = json.loads(res.stdout)
    assert [(m["code"], m["origin"], m["reference"]) for m in found] == [
        ("MSH0901", "ConfigMap istio-system/istio", "")]
    assert res.exit_code == 0


def test_mesh_config_file_wins_over_cluster(fake_api: Any, run_cli: Any, tmp_path: Path) -> None:
    fake_api.add(MESH_CONFIGMAP)
    mesh = tmp_path / "mesh.yaml"
    mesh.write_text("defaultConfig:\n  proxyMetadata: {}\n")
    res = run_cli("analyze", "-A", "--kubeconfig", fake_api.kubeconfig, "-o", "json", "--meshConfigFile", str(mesh),
                  "--analyzer", "meshconfig.ProxyMetadataAnalyzer")
    assert json.loads(res.stdout) == []


def test_files_are_merged_over_the_cluster_view(fake_api: Any, run_cli: Any, tmp_path: Path) -> None:
    fake_api.add(SERVICE)
    fixed = tmp_path / "fixed.yaml"
    fixed.write_text(json.dumps({**SERVICE, "spec": {"selector": {"app": "web"},
                                                     "ports": [{"name": "http-web", "port": 80}]}}))
    live = run_cli("analyze", "-n", "default", "--kubeconfig", fake_api.kubeconfig, "-o", "json",
                   "--analyzer", "service.PortNameAnalyzer")
    assert [m["code"] for m in json.loads(live.stdout)] == ["IST0118"]
    merged = run_cli("analyze", "-n", "default", "--kubeconfig", fake_api.kubeconfig, "-o", "json",
                     "--use-kube", "-f", str(fixed), "--analyzer", "service.PortNameAnalyzer")
    assert json.loads(merged.stdout) == []


def test_all_namespaces_with_files_merges_without_use_kube(fake_api: Any, run_cli: Any, tmp_path: Path) -> None:
    from .conftest import crd

    fake_api.add(crd("networking.istio.io", "VirtualService", "virtualservices"))
    fake_api.add(crd("networking.istio.io", "ServiceEntry", "serviceentries"))
    fake_api.add(SERVICE)
    route = tmp_path / "route.yaml"
    route.write_text(json.dumps({"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
                                 "metadata": {"name": "web", "namespace": "default"},
                                 "spec": {"hosts": ["web"], "http": [{"route": [{"destination": {"host": "web"}}]}]}}))
    res = run_cli("analyze", "-A", "--kubeconfig", fake_api.kubeconfig, "-f", str(route), "-o", "json",
                  "--analyzer", "virtualservice.DestinationHostAnalyzer")
    assert res.exit_code == 0, res.stdout + res.stderr
    assert json.loads(res.stdout) == []
    bad = tmp_path / "bad.yaml"
    bad.write_text(route.read_text().replace('"host": "web"', '"host": "nowhere"'))
    res = run_cli("analyze", "-A", "--kubeconfig", fake_api.kubeconfig, "-f", str(bad), "-o", "json",
                  "--analyzer", "virtualservice.DestinationHostAnalyzer")
    assert [m["code"] for m in json.loads(res.stdout)] == ["IST0101"] and res.exit_code == 79
