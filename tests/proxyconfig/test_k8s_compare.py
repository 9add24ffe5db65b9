"""``pc endpoints --compare-k8s``: Envoy's endpoints against the Kubernetes EndpointSlices."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from meshctl.envoy import k8s_compare as kc
from meshctl.envoy.endpoints import EndpointFilter
from meshctl.sources.envoy import read_endpoint_slices
from tests.proxyconfig.envoy_harness import CLUSTER
from tests.proxyconfig.test_pod_target import POD

SVC = "outbound|8080||reviews.shop.svc.cluster.local"
V1 = "outbound|8080|v1|reviews.shop.svc.cluster.local"


def service(name: str = "reviews", namespace: str = "shop", port: int = 8080, port_name: str = "http",
            ) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": namespace},
            "spec": {"ports": [{"name": "grpc", "port": 9000, "targetPort": 19000},
                               {"name": port_name, "port": port, "targetPort": "web"}]}}


def endpoint_slice(addresses: dict[str, bool | None], svc: str = "reviews", namespace: str = "shop",
                   port: int = 9080, name: str = "reviews-abc", address_type: str = "IPv4",
                   ) -> dict[str, Any]:
    """A slice: ``{ip: ready}`` (None leaves ``ready`` unset); port ``http`` is ``port``."""
    eps = []
    for ip, ready in addresses.items():
        conditions = {} if ready is None else {"ready": ready}
        eps.append({"addresses": [ip], "conditions": conditions})
    return {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "addressType": address_type,
            "metadata": {"name": name, "namespace": namespace, "labels": {kc.SERVICE_NAME_LABEL: svc}},
            "ports": [{"name": "grpc", "port": 19000}, {"name": "http", "port": port}],
            "endpoints": eps}


def row(endpoint: str, cluster: str = SVC, status: str = "HEALTHY") -> dict[str, Any]:
    return {"endpoint": endpoint, "status": status, "locality": "", "cluster": cluster}


def states(rows: list[dict[str, Any]]) -> list[tuple[str, str, Any]]:
    return [(r["cluster"], r["endpoint"], r["k8s"]) for r in rows]


# -- pure comparison -------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "expected"), [
    (SVC, ("reviews", "shop", 8080, "")),
    (V1, ("reviews", "shop", 8080, "v1")),
    ("outbound|80||web.prod.svc.corp.example", ("web", "prod", 80, "")),
    ("inbound|8080||", None),
    ("outbound|443||www.google.com", None),
    ("outbound|80||web.prod.global", None),
    ("xds-grpc", None),
    ("PassthroughCluster", None),
])
def test_parse_service_cluster(name: str, expected: Any) -> None:
    got = kc.parse_service_cluster(name)
    assert (None if got is None else (got.name, got.namespace, got.port, got.subset)) == expected


def test_in_sync_not_in_kubernetes_and_missing_in_envoy() -> None:
    rows = [row("10.0.0.1:9080"), row("10.0.0.9:9080")]
    slices = [endpoint_slice({"10.0.0.1": True, "10.0.0.2": True})]
    out = kc.compare_endpoints(rows, [SVC], slices, [service()])
    assert states(out) == [
        (SVC, "10.0.0.1:9080", kc.IN_SYNC),
        (SVC, "10.0.0.9:9080", kc.NOT_IN_K8S),
        (SVC, "10.0.0.2:9080", kc.MISSING_IN_ENVOY),
    ]
    assert kc.differences(out) == 2


def test_target_port_is_resolved_by_the_service_port_name() -> None:
    """Service port 8080 is named ``http``; the slice's ``http`` port is 9080, its ``grpc`` port 19000."""
    slices = [endpoint_slice({"10.0.0.1": True})]
    out = kc.compare_endpoints([row("10.0.0.1:19000"), row("10.0.0.1:8080")], [SVC], slices, [service()])
    assert [r["k8s"] for r in out[:2]] == [kc.NOT_IN_K8S, kc.NOT_IN_K8S]
    assert states(out)[2] == (SVC, "10.0.0.1:9080", kc.MISSING_IN_ENVOY)


def test_unnamed_single_port_matches_unnamed_slice_port() -> None:
    svc = {"metadata": {"name": "reviews", "namespace": "shop"}, "spec": {"ports": [{"port": 8080}]}}
    sl = endpoint_slice({"10.0.0.1": True})
    sl["ports"] = [{"port": 9080}]
    out = kc.compare_endpoints([row("10.0.0.1:9080")], [SVC], [sl], [svc])
    assert states(out) == [(SVC, "10.0.0.1:9080", kc.IN_SYNC)]


def test_all_in_sync_across_slices_is_no_difference() -> None:
    slices = [endpoint_slice({"10.0.0.1": True}), endpoint_slice({"10.0.0.2": None}, name="reviews-def")]
    out = kc.compare_endpoints([row("10.0.0.1:9080"), row("10.0.0.2:9080")], [SVC], slices, [service()])
    assert [r["k8s"] for r in out] == [kc.IN_SYNC, kc.IN_SYNC]
    assert kc.differences(out) == 0


def test_not_ready_endpoints() -> None:
    """Not ready in Kubernetes: fine when Envoy also marks it unhealthy, never reported as missing."""
    slices = [endpoint_slice({"10.0.0.1": False, "10.0.0.2": False, "10.0.0.3": False})]
    rows = [row("10.0.0.1:9080", status="UNHEALTHY"), row("10.0.0.2:9080")]
    out = kc.compare_endpoints(rows, [SVC], slices, [service()])
    assert states(out) == [(SVC, "10.0.0.1:9080", kc.IN_SYNC), (SVC, "10.0.0.2:9080", kc.NOT_READY_IN_K8S)]


def test_cluster_without_envoy_endpoints_gets_missing_rows() -> None:
    out = kc.compare_endpoints([], [SVC], [endpoint_slice({"10.0.0.1": True})], [service()])
    assert states(out) == [(SVC, "10.0.0.1:9080", kc.MISSING_IN_ENVOY)]
    assert out[0]["status"] == ""


def test_other_services_namespaces_and_fqdn_slices_are_ignored() -> None:
    slices = [
        endpoint_slice({"10.0.0.5": True}, svc="ratings"),
        endpoint_slice({"10.0.0.6": True}, namespace="other"),
        endpoint_slice({"reviews.example.com": True}, address_type="FQDN"),
    ]
    services = [service(), service(namespace="other"), service(name="ratings")]
    out = kc.compare_endpoints([row("10.0.0.5:9080")], [SVC], slices, services)
    assert states(out) == [(SVC, "10.0.0.5:9080", kc.NOT_IN_K8S)]


def test_missing_service_or_port_means_nothing_in_kubernetes() -> None:
    slices = [endpoint_slice({"10.0.0.1": True})]
    assert [r["k8s"] for r in kc.compare_endpoints([row("10.0.0.1:9080")], [SVC], slices, [])] == [
        kc.NOT_IN_K8S]
    other_port = [service(port=7070)]
    assert [r["k8s"] for r in kc.compare_endpoints([row("10.0.0.1:9080")], [SVC], slices, other_port)] == [
        kc.NOT_IN_K8S]


def test_subset_clusters_report_extras_but_not_missing() -> None:
    slices = [endpoint_slice({"10.0.0.1": True, "10.0.0.2": True})]
    out = kc.compare_endpoints([row("10.0.0.1:9080", V1), row("10.0.0.7:9080", V1)], [V1], slices, [service()])
    assert states(out) == [(V1, "10.0.0.1:9080", kc.IN_SYNC), (V1, "10.0.0.7:9080", kc.NOT_IN_K8S)]


def test_non_service_clusters_are_not_compared() -> None:
    rows = [row("127.0.0.1:15010", "xds-grpc"), row("10.0.0.1:9080", "inbound|9080||")]
    out = kc.compare_endpoints(rows, ["xds-grpc", "inbound|9080||"], [], [])
    assert [r["k8s"] for r in out] == [None, None]
    assert kc.differences(out) == 0


def test_dual_stack_row_needs_every_address() -> None:
    slices = [endpoint_slice({"10.0.0.1": True}), endpoint_slice({"fd00::1": True}, name="v6",
                                                                  address_type="IPv6")]
    out = kc.compare_endpoints([row("10.0.0.1:9080,fd00::1:9080")], [SVC], slices, [service()])
    assert states(out) == [(SVC, "10.0.0.1:9080,fd00::1:9080", kc.IN_SYNC)]
    out = kc.compare_endpoints([row("10.0.0.1:9080")], [SVC], slices, [service()])
    assert states(out)[1] == (SVC, "fd00::1:9080", kc.MISSING_IN_ENVOY)


def test_filters_apply_to_missing_rows_too() -> None:
    slices = [endpoint_slice({"10.0.0.1": True, "10.0.0.2": True})]
    out = kc.compare_endpoints([row("10.0.0.1:9080")], [SVC], slices, [service()],
                               EndpointFilter(address="10.0.0.1"))
    assert states(out) == [(SVC, "10.0.0.1:9080", kc.IN_SYNC)]
    out = kc.compare_endpoints([row("10.0.0.1:9080")], [SVC], slices, [service()],
                               EndpointFilter(status="HEALTHY"))
    assert states(out) == [(SVC, "10.0.0.1:9080", kc.IN_SYNC)]


class RecordingClient:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str | None, Any]] = []

    def list(self, key: str, namespace: str | None = None, label_selector: Any = None,
             field_selector: Any = None) -> list[dict[str, Any]]:
        self.calls.append((key, namespace, label_selector))
        return []


@pytest.mark.parametrize(("namespaces", "expected"), [
    ([], []),
    (["shop"], [("EndpointSlice", "shop", kc.SERVICE_NAME_LABEL), ("Service", "shop", None)]),
    (["a", "b"], [("EndpointSlice", None, kc.SERVICE_NAME_LABEL), ("Service", None, None)]),
])
def test_read_kubernetes_lists_once_per_kind(namespaces: list[str], expected: Any) -> None:
    client = RecordingClient()
    read_endpoint_slices(client, namespaces)
    assert client.calls == expected


# -- end to end: fake API server + real Envoy ------------------------------------------------------

BACKEND = """\
apiVersion: v1
kind: Service
metadata: {name: backend, namespace: default}
spec:
  selector: {app: backend}
  ports: [{name: http, port: 8080, targetPort: web}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: backend-1
  namespace: default
  labels: {kubernetes.io/service-name: backend}
addressType: IPv4
ports: [{name: http, port: 18080}]
endpoints:
- addresses: [127.0.0.1]
  conditions: {ready: true}
- addresses: [127.0.0.9]
  conditions: {ready: false}
"""
EXTRA_SLICE = """\
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: backend-2
  namespace: default
  labels: {kubernetes.io/service-name: backend}
addressType: IPv4
ports: [{name: http, port: 18080}]
endpoints:
- addresses: [10.1.2.3]
  conditions: {ready: true}
"""
SLICES_PATH = ("GET", "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices")
SERVICES_PATH = ("GET", "/api/v1/namespaces/default/services")


@pytest.fixture
def mesh(fake_api: Any, envoy: Any) -> Any:
    fake_api.load_yaml(POD)
    fake_api.set_portforward_target("shop", "backend-7f9c-abcde", 15000, urlparse(envoy.admin_url).port)
    return fake_api


def test_pod_target_in_sync(run_cli, mesh: Any) -> None:
    mesh.load_yaml(BACKEND)
    mesh.reset_counters()
    res = run_cli("pc", "endpoints", "backend-7f9c-abcde.shop", "--kubeconfig", mesh.kubeconfig,
                  "--compare-k8s")
    assert res.exit_code == 0, res.stderr
    header, *lines = res.stdout.splitlines()
    assert header.split()[-1] == "K8S"
    backend = [line for line in lines if CLUSTER in line]
    assert len(backend) == 1 and backend[0].startswith("127.0.0.1:18080") and backend[0].endswith("in sync")
    assert mesh.requests[SLICES_PATH] == 1 and mesh.requests[SERVICES_PATH] == 1


def test_pod_target_differences_exit_79(run_cli, mesh: Any) -> None:
    mesh.load_yaml(BACKEND)
    mesh.load_yaml(EXTRA_SLICE)
    res = run_cli("pc", "endpoints", "backend-7f9c-abcde.shop", "--kubeconfig", mesh.kubeconfig,
                  "--compare-k8s", "-o", "json")
    assert res.exit_code == 79
    assert res.stderr.count("\n") == 1 and "1 endpoint" in res.stderr
    backend = {r["endpoint"]: r["k8s"] for r in json.loads(res.stdout) if r["cluster"] == CLUSTER}
    assert backend == {"127.0.0.1:18080": kc.IN_SYNC, "10.1.2.3:18080": kc.MISSING_IN_ENVOY}


def test_admin_url_envoy_endpoint_not_in_kubernetes(run_cli, fake_api: Any, envoy: Any) -> None:
    fake_api.load_yaml(BACKEND.replace("127.0.0.1", "10.9.9.9"))
    res = run_cli("pc", "endpoints", "--admin-url", envoy.admin_url, "--kubeconfig", fake_api.kubeconfig,
                  "--compare-k8s", "-o", "json")
    assert res.exit_code == 79
    backend = {r["endpoint"]: r["k8s"] for r in json.loads(res.stdout) if r["cluster"] == CLUSTER}
    assert backend == {"127.0.0.1:18080": kc.NOT_IN_K8S, "10.9.9.9:18080": kc.MISSING_IN_ENVOY}


def test_dump_file_with_kubeconfig(run_cli, fake_api: Any, envoy: Any, tmp_path: Path) -> None:
    import httpx

    dump = tmp_path / "dump.json"
    dump.write_text(httpx.get(envoy.admin_url + "/config_dump", params={"include_eds": "true"}).text)
    fake_api.load_yaml(BACKEND)
    res = run_cli("pc", "endpoints", "-f", str(dump), "--kubeconfig", fake_api.kubeconfig, "--compare-k8s",
                  "-o", "json")
    assert res.exit_code == 0, res.stderr
    assert [(r["endpoint"], r["k8s"]) for r in json.loads(res.stdout) if r["cluster"] == CLUSTER] == [
        ("127.0.0.1:18080", kc.IN_SYNC)]


def test_without_usable_kubeconfig_is_a_usage_error(run_cli, tmp_path: Path, monkeypatch: Any) -> None:
    dump = tmp_path / "dump.json"
    dump.write_text('{"cluster_statuses": []}')
    res = run_cli("pc", "endpoints", "-f", str(dump), "--kubeconfig", str(tmp_path / "nope"), "--compare-k8s")
    assert res.exit_code == 64 and res.stderr.count("\n") == 1 and "kubeconfig" in res.stderr
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("KUBECONFIG", raising=False)
    monkeypatch.delenv("KUBERNETES_SERVICE_HOST", raising=False)
    res = run_cli("pc", "endpoints", "-f", str(dump), "--compare-k8s")
    assert res.exit_code == 64 and res.stderr.count("\n") == 1


def test_without_the_flag_there_is_no_k8s_column(run_cli, tmp_path: Path) -> None:
    dump = tmp_path / "dump.json"
    dump.write_text('{"cluster_statuses": []}')
    res = run_cli("pc", "endpoints", "-f", str(dump), "--kubeconfig", str(tmp_path / "nope"))
    assert res.exit_code == 0 and "K8S" not in res.stdout
