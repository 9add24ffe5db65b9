"""Each cluster check, passing and failing, against the fake API server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from meshctl.analysis.result import Result
from meshctl.cluster.options import ClusterOptions
from meshctl.precheck import PrecheckRequest, run_prechecks
from tests.precheck.conftest import crd, gateway_crd, healthy, injector, istiod, namespace, node, pod, service


def run(fake: Any, *checks: str, **kwargs: Any) -> Result:
    """Run the named checks against the fake server."""
    req = PrecheckRequest(checks=list(checks), **kwargs)
    return run_prechecks(ClusterOptions(kubeconfig=fake.kubeconfig, timeout=20), req)


def codes(result: Result) -> list[str]:
    """The codes found, in order."""
    return [m.code for m in result.messages]


# -- kubernetes version ----------------------------------------------------------------------

@pytest.mark.parametrize(("version", "expected"), [
    ("v1.33.1", []), ("v1.30.0-gke.1", []), ("v1.29.9", ["IST0142"]), ("v1.35.0", ["MSH0802"]),
])
def test_kubernetes_version(fake_api: Any, version: str, expected: list[str]) -> None:
    fake_api.set_version(version)
    result = run(fake_api, "kubernetes-version")
    assert codes(result) == expected
    if expected == ["IST0142"]:
        assert "v1.29.9" in result.messages[0].text and "1.30" in result.messages[0].text
        assert result.exit_code == 79


@pytest.mark.parametrize(("client", "expected"), [("v1.32.0", []), ("v1.31.2", ["MSH0803"]), (None, [])])
def test_kubectl_skew(fake_api: Any, client: str | None, expected: list[str]) -> None:
    result = run(fake_api, "kubectl-version-skew", client_version=lambda: client)
    assert codes(result) == expected


# -- permissions -----------------------------------------------------------------------------

def test_permissions_granted(fake_api: Any) -> None:
    assert codes(run(fake_api, "permissions", "cluster-reads")) == []


def test_permissions_missing_listed_exactly(fake_api: Any) -> None:
    fake_api.deny("create", "customresourcedefinitions", "apiextensions.k8s.io")
    fake_api.deny("patch", "deployments", "apps", namespace="istio-system")
    fake_api.deny("list", "nodes")
    result = run(fake_api, "permissions", "cluster-reads", "nodes-ready")
    assert codes(result) == ["IST0141"]
    text = result.messages[0].text
    assert text == ("Missing permissions: create customresourcedefinitions.apiextensions.k8s.io cluster-wide; "
                    "list nodes cluster-wide; patch deployments.apps in istio-system")
    assert "nodes-ready" in result.skipped
    assert result.exit_code == 79


def test_ambient_needs_daemonsets(fake_api: Any) -> None:
    fake_api.deny("create", "daemonsets", "apps")
    assert codes(run(fake_api, "permissions")) == []
    result = run(fake_api, "permissions", profile="ambient")
    assert "create daemonsets.apps in istio-system" in result.messages[0].text


def test_unexplained_read_failure(fake_api: Any) -> None:
    fake_api.deny("list", "pods", namespace="team-a")
    fake_api.add(namespace("team-a", {"istio-injection": "enabled"}))
    result = run(fake_api, "permissions", "cluster-reads", "pods-without-sidecar")
    assert codes(result) == ["MSH0801"]
    assert "team-a" in result.messages[0].text


# -- existing mesh ---------------------------------------------------------------------------

def test_control_plane_revisions(fake_api: Any) -> None:
    assert codes(run(fake_api, "control-plane-revisions")) == []
    fake_api.add(istiod("1.27.2"))
    fake_api.add(istiod("1.28.0", revision="canary"))
    result = run(fake_api, "control-plane-revisions")
    assert [m.text for m in result.messages] == [
        "Istio 1.27.2 control plane revision default is installed in istio-system",
        "Istio 1.28.0 control plane revision canary is installed in istio-system",
    ]
    assert result.exit_code == 0


@pytest.mark.parametrize(("installed", "kwargs", "expected"), [
    ("1.27.2", {}, []),
    ("1.26.0", {}, ["MSH0805"]),
    ("1.29.0", {}, ["MSH0805"]),
    ("1.27.2", {"from_version": "1.25.1"}, ["MSH0805"]),
    (None, {"from_version": "1.27.0"}, []),
])
def test_upgrade_path(fake_api: Any, installed: str | None, kwargs: dict[str, str], expected: list[str]) -> None:
    if installed:
        fake_api.add(istiod(installed))
    assert codes(run(fake_api, "upgrade-path", **kwargs)) == expected


def test_upgrade_path_revision_replaces_only_its_own(fake_api: Any) -> None:
    fake_api.add(istiod("1.25.0"))
    fake_api.add(istiod("1.27.1", revision="stable"))
    assert codes(run(fake_api, "upgrade-path", revision="stable")) == []
    result = run(fake_api, "upgrade-path")
    assert codes(result) == ["MSH0805"]
    assert "skips 2 minor" in result.messages[0].text


def test_istio_crd_versions(fake_api: Any) -> None:
    fake_api.add(crd("networking.istio.io", "VirtualService", "virtualservices",
                     labels={"app.kubernetes.io/version": "1.27.0"}))
    assert codes(run(fake_api, "istio-crd-versions")) == []
    fake_api.add(crd("security.istio.io", "PeerAuthentication", "peerauthentications",
                     labels={"app.kubernetes.io/version": "1.25.3"}))
    result = run(fake_api, "istio-crd-versions")
    assert codes(result) == ["MSH0806"]
    assert result.messages[0].origin == "CustomResourceDefinition peerauthentications.security.istio.io"


@pytest.mark.parametrize(("bundle", "expected"), [
    ("v1.4.0", []), ("v1.3.0", ["IST0172"]), ("v1.2.1", ["MSH0807"]), (None, ["MSH0808"]),
])
def test_gateway_api_crds(fake_api: Any, bundle: str | None, expected: list[str]) -> None:
    if bundle:
        fake_api.add(gateway_crd(bundle=bundle))
    assert codes(run(fake_api, "gateway-api-crds")) == expected


def test_orphaned_webhooks(fake_api: Any) -> None:
    fake_api.add(service("istiod"))
    fake_api.add(injector())
    assert codes(run(fake_api, "orphaned-webhooks")) == []
    fake_api.add(injector("istio-sidecar-injector-old", service_name="istiod-old", default=False))
    result = run(fake_api, "orphaned-webhooks")
    assert codes(result) == ["MSH0809"]
    assert "istio-system/istiod-old" in result.messages[0].text


def test_conflicting_webhooks(fake_api: Any) -> None:
    fake_api.add(injector())
    fake_api.add(injector("istio-sidecar-injector-canary", default=False))
    assert codes(run(fake_api, "conflicting-webhooks")) == []
    fake_api.add(injector("istio-revision-tag-default"))
    result = run(fake_api, "conflicting-webhooks")
    assert codes(result) == ["MSH0810"]
    assert "istio-revision-tag-default, istio-sidecar-injector" in result.messages[0].text


def test_partial_install(fake_api: Any) -> None:
    fake_api.add(namespace("istio-system"))
    assert codes(run(fake_api, "partial-install")) == []
    fake_api.add(crd("networking.istio.io", "VirtualService", "virtualservices"))
    assert codes(run(fake_api, "partial-install")) == ["MSH0811"]
    fake_api.add(istiod("1.27.0", available=0))
    result = run(fake_api, "partial-install")
    assert codes(result) == ["MSH0811"]
    assert "no available replica" in result.messages[0].text


# -- cluster readiness -----------------------------------------------------------------------

def test_nodes_ready(fake_api: Any) -> None:
    assert codes(run(fake_api, "nodes-ready")) == ["MSH0813"]
    fake_api.add(node("a"))
    assert codes(run(fake_api, "nodes-ready")) == []
    fake_api.add(node("b", ready=False))
    result = run(fake_api, "nodes-ready")
    assert codes(result) == ["MSH0812"]
    assert "KubeletNotReady" in result.messages[0].text


@pytest.mark.parametrize(("nodes", "profile", "expected"), [
    ([("2", "4Gi")], "default", []),
    ([("500m", "4Gi")], "default", ["MSH0814"]),
    ([("4", "1Gi"), ("4", "1Gi")], "default", ["MSH0814"]),
    ([("100m", "512Mi")], "demo", []),
    ([("2", "4Gi"), ("200m", "8Gi")], "ambient", ["MSH0814"]),
    ([("2", "4Gi"), ("1", "1Gi")], "ambient", []),
])
def test_node_resources(fake_api: Any, nodes: list[tuple[str, str]], profile: str, expected: list[str]) -> None:
    for index, (cpu, memory) in enumerate(nodes):
        fake_api.add(node(f"n{index}", cpu=cpu, memory=memory))
    assert codes(run(fake_api, "node-resources", profile=profile)) == expected


def test_pod_security(fake_api: Any) -> None:
    fake_api.add(namespace("istio-system", {"pod-security.kubernetes.io/enforce": "baseline"}))
    assert codes(run(fake_api, "pod-security")) == []
    result = run(fake_api, "pod-security", profile="ambient")
    assert codes(result) == ["MSH0815"]
    assert "istio-cni, ztunnel" in result.messages[0].text


def _daemonset(name: str, ns: str = "kube-system") -> dict[str, Any]:
    labels = {"k8s-app": name}
    return {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": name, "namespace": ns},
            "spec": {"selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels},
                                  "spec": {"containers": [{"name": "c", "image": "x"}]}}}}


def test_cni_plugin(fake_api: Any) -> None:
    assert codes(run(fake_api, "cni-plugin")) == []
    assert codes(run(fake_api, "cni-plugin", profile="ambient")) == ["MSH0816"]
    fake_api.add(_daemonset("calico-node", "calico-system"))
    assert codes(run(fake_api, "cni-plugin", profile="ambient")) == []
    fake_api.add(_daemonset("cilium"))
    result = run(fake_api, "cni-plugin", profile="ambient")
    assert codes(result) == ["MSH0817"]
    assert "cni.exclusive=false" in result.messages[0].text


def test_clock_skew(fake_api: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    now = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
    from meshctl.cluster.client import ClusterClient

    monkeypatch.setattr(ClusterClient, "server_date", lambda self: now)
    fake_api.add(node("in-sync", heartbeat=now - timedelta(minutes=3)))
    assert codes(run(fake_api, "clock-skew", clock=lambda: now)) == []
    fake_api.add(node("ahead", heartbeat=now + timedelta(minutes=2)))
    fake_api.add(node("behind", heartbeat=now - timedelta(minutes=30)))
    result = run(fake_api, "clock-skew", clock=lambda: now)
    assert [(m.code, m.name) for m in result.messages] == [("MSH0818", "ahead"), ("MSH0818", "behind")]
    assert "2m00s" in result.messages[0].text


def test_clock_skew_against_the_api_server(fake_api: Any) -> None:
    """The fake server's Date header is the real time; a clock ten minutes slow is reported."""
    now = datetime.now(UTC) - timedelta(minutes=10)
    result = run(fake_api, "clock-skew", clock=lambda: now)
    assert [m.code for m in result.messages] == ["MSH0818"]
    assert "API server" in result.messages[0].text or "API server" in result.messages[0].origin


# -- data plane ------------------------------------------------------------------------------

def test_injection_labels(fake_api: Any) -> None:
    fake_api.add(istiod("1.27.0", revision="stable"))
    fake_api.add(namespace("a", {"istio.io/rev": "stable"}))
    fake_api.add(namespace("b", {"istio-injection": "enabled"}))
    fake_api.add(namespace("c", {"istio.io/rev": "canary"}))
    assert codes(run(fake_api, "injection-labels", revision="canary")) == []
    result = run(fake_api, "injection-labels")
    assert codes(result) == ["MSH0819"]
    assert result.messages[0].origin == "Namespace c"


def test_pods_without_sidecar(fake_api: Any) -> None:
    fake_api.add(namespace("shop", {"istio-injection": "enabled"}))
    fake_api.add(pod("web", "shop", proxy="1.27.0"))
    fake_api.add(pod("done", "shop", phase="Succeeded"))
    fake_api.add(pod("opted-out", "shop", labels={"sidecar.istio.io/inject": "false"}))
    fake_api.add(pod("plain", "default"))
    assert codes(run(fake_api, "pods-without-sidecar")) == []
    fake_api.add(pod("bare", "shop"))
    result = run(fake_api, "pods-without-sidecar")
    assert codes(result) == ["MSH0820"]
    assert result.messages[0].text.endswith(": bare")


def test_proxy_versions(fake_api: Any) -> None:
    fake_api.add(istiod("1.27.2"))
    fake_api.add(namespace("shop", {"istio-injection": "enabled"}))
    fake_api.add(pod("new", "shop", proxy="1.27.2"))
    assert codes(run(fake_api, "proxy-versions")) == []
    fake_api.add(pod("old", "shop", proxy="1.26.1"))
    result = run(fake_api, "proxy-versions")
    assert codes(result) == ["MSH0821"]
    assert "1.26.1" in result.messages[0].text and "old" in result.messages[0].text


def test_healthy_cluster_passes_every_check(fake_api: Any) -> None:
    result = run(healthy(fake_api))
    assert result.messages == []
    assert result.skipped == {}
    assert "kubernetes-version" in result.analyzers and "alpha-annotations" not in result.analyzers
