"""Gateway API on a real kube-apiserver of this module's own (issue 13, points 4 and 6): a CRD that is
not Established costs only its own kind, and version checks follow the Istio version analysed against."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.realkube.objects import apply, namespace, wait_established
from tests.realkube.server import RealKube

from .conftest import GATEWAY_GROUP, codes, gateway_api_crd, pod


@pytest.fixture(scope="module")
def gateway_kube(private_kube: RealKube) -> RealKube:
    """Gateway API v1.4 CRDs, TLSRoute among them, and a GRPCRoute CRD whose plural another CRD has taken."""
    good = [gateway_api_crd("HTTPRoute", "httproutes"), gateway_api_crd("Gateway", "gateways"),
            gateway_api_crd("GatewayClass", "gatewayclasses", namespaced=False),
            gateway_api_crd("TLSRoute", "tlsroutes", versions=("v1alpha2",)),
            gateway_api_crd("Decoy", "decoys", short_names=("grpcroutes",))]
    for crd in good:
        apply(private_kube, crd)
    wait_established(private_kube, [c["metadata"]["name"] for c in good])
    apply(private_kube, gateway_api_crd("GRPCRoute", "grpcroutes"))  # NamesAccepted False: never Established
    namespace(private_kube, "apps")
    apply(private_kube, {
        "apiVersion": f"{GATEWAY_GROUP}/v1", "kind": "HTTPRoute", "metadata": {"name": "web", "namespace": "apps"},
        "spec": {"parentRefs": [{"name": "missing"}]},
        "status": {"parents": [{"parentRef": {"name": "missing"}, "controllerName": "istio.io/gateway-controller",
                                "conditions": [{"type": "Accepted", "status": "False", "reason": "NoMatchingParent",
                                                "message": "parent not found",
                                                "lastTransitionTime": "2026-01-01T00:00:00Z"}]}]},
    })
    return private_kube


@pytest.fixture
def kubeconfig(gateway_kube: RealKube, tmp_path: Path) -> str:
    return str(gateway_kube.kubeconfig(tmp_path / "kubeconfig"))


def _found(res: Any) -> list[dict[str, Any]]:
    assert res.stdout.strip(), res.stderr
    return list(json.loads(res.stdout))


def test_unestablished_crd_skips_only_its_kind(gateway_kube: RealKube, kubeconfig: str, run_cli: Any) -> None:
    crds = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
    crd = gateway_kube.request("GET", f"{crds}/grpcroutes.{GATEWAY_GROUP}")
    assert not any(c["type"] == "Established" and c["status"] == "True" for c in crd["status"].get("conditions", []))
    res = run_cli("analyze", "-A", "--kubeconfig", kubeconfig, "-o", "json")
    assert ("IST0171", "HTTPRoute apps/web") in codes(_found(res), "IST0171"), res.stderr
    assert f"CustomResourceDefinition grpcroutes.{GATEWAY_GROUP} is not Established" in res.stderr
    assert "NamesAccepted False" in res.stderr and "GRPCRoute is not served" in res.stderr
    assert res.stderr.count("is not Established") == 1  # said once


def test_gateway_api_minimums_follow_the_istio_version(gateway_kube: RealKube, kubeconfig: str,
                                                       run_cli: Any) -> None:
    def tls_route_findings(*args: str) -> list[tuple[str, str]]:
        res = run_cli("analyze", "-A", "--kubeconfig", kubeconfig, "-o", "json",
                      "--analyzer", "k8sgateway.CRDVersionAnalyzer", *args)
        return codes(_found(res), "IST0176")

    tls = ("IST0176", f"CustomResourceDefinition tlsroutes.{GATEWAY_GROUP}")
    assert tls_route_findings() == []  # the release meshctl targets works with Gateway API v1.4
    assert tls_route_findings("--istio-version", "1.29.0") == [tls]
    namespace(gateway_kube, "istio-system")
    apply(gateway_kube, pod("istiod-1", "istio-system", {"app": "istiod"}, image="docker.io/istio/pilot:1.29.1",
                            container="discovery"))
    assert tls_route_findings() == [tls]  # the cluster's istiod is the version analysed against
    assert tls_route_findings("--istio-version", "1.28.2") == []


def test_bad_istio_version_is_a_usage_error(kubeconfig: str, run_cli: Any) -> None:
    res = run_cli("analyze", "-A", "--kubeconfig", kubeconfig, "--istio-version", "banana")
    assert res.exit_code == 64 and "--istio-version" in res.stderr
