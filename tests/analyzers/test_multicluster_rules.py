"""Multi-cluster analyzers: cases the single-source fixture grid cannot express."""

from __future__ import annotations

import json
from pathlib import Path

from meshctl.analysis.context import Context, Environment
from meshctl.analyzers.multicluster.services import MultiClusterServiceAnalyzer, find_inconsistencies
from meshctl.resource import Origin, Resource

NETWORKS = """\
networks:
  east:
    endpoints:
    - fromRegistry: Kubernetes
    - fromRegistry: east-cluster
    - fromCidr: 10.0.0.0/16
  west:
    endpoints:
    - fromRegistry: west-cluster
    - fromRegistry: typo-cluster
"""
REMOTE_SECRET = """\
apiVersion: v1
kind: Secret
metadata: {name: istio-remote-secret-east, namespace: istio-system, labels: {istio/multiCluster: "true"}}
data: {east-cluster: Zm9v}
---
apiVersion: v1
kind: Secret
metadata: {name: not-a-remote, namespace: istio-system}
data: {west-cluster: Zm9v}
"""


def test_meshnetworks_unknown_registries(run_cli, tmp_path: Path) -> None:
    (tmp_path / "mn.yaml").write_text(NETWORKS)
    (tmp_path / "secrets.yaml").write_text(REMOTE_SECRET)
    res = run_cli("analyze", "--use-kube=false", "-f", str(tmp_path / "secrets.yaml"),
                  "--meshNetworksFile", str(tmp_path / "mn.yaml"),
                  "--analyzer", "meshnetworks.MeshNetworksAnalyzer", "-o", "json")
    found = json.loads(res.stdout)
    assert sorted(m["code"] for m in found) == ["IST0126", "IST0126"]
    assert {m["origin"] for m in found} == {"MeshNetworks istio-system/meshnetworks"}
    assert sorted(m["path"] for m in found) == ["networks.west.endpoints[0].fromRegistry",
                                                "networks.west.endpoints[1].fromRegistry"]


def _svc(cluster: str, name: str = "cart", **spec: object) -> Resource:
    body = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": "shop"},
            "spec": {"ports": [{"name": "http", "port": 80}], **spec}}
    return Resource.from_dict(body, Origin(cluster=cluster))


def test_inconsistent_type_and_ports() -> None:
    clusters, reasons = find_inconsistencies({
        "c1": _svc("c1"),
        "c2": _svc("c2", type="NodePort"),
        "c3": _svc("c3", ports=[{"name": "http", "port": 8080}]),
    })
    assert clusters == ["c1", "c2", "c3"]
    assert reasons == ["service ports are inconsistent", "service type is inconsistent"]


def test_headless_mix_flags_every_cluster() -> None:
    clusters, reasons = find_inconsistencies({"a": _svc("a"), "b": _svc("b", clusterIP="None"),
                                              "c": _svc("c")})
    assert clusters == ["a", "b", "c"]
    assert reasons == ["service has mixed mode like headless and clusterIP"]


def test_consistent_copies_are_fine() -> None:
    assert find_inconsistencies({"a": _svc("a"), "b": _svc("b")}) == ([], [])


class _Resources:
    """A stand-in snapshot that, unlike Snapshot, keeps one copy per cluster."""

    def __init__(self, items: list[Resource]) -> None:
        self._items = items

    def of_kind(self, key: str) -> list[Resource]:
        return [r for r in self._items if r.key == key]


def test_analyzer_reports_once_per_service() -> None:
    items = [_svc("c1"), _svc("c2", type="LoadBalancer"), _svc("c1", name="web"), _svc("c2", name="web"),
             Resource.from_dict(_svc("x", name="local").body)]
    ctx = Context(_Resources(items), Environment({}, {}), MultiClusterServiceAnalyzer.name,  # type: ignore[arg-type]
                  MultiClusterServiceAnalyzer.inputs)
    MultiClusterServiceAnalyzer().analyze(ctx)
    assert [(m.code, m.origin) for m in ctx.messages] == [("IST0170", "Service shop/cart")]
    assert "c1, c2" in ctx.messages[0].text
