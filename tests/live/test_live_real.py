"""``meshctl analyze`` against the real kube-apiserver with Istio's CRDs (issue 13, points 1-3, 5, 7, 10).

Every test arranges its own namespaces (prefix ``l13-``) on the session's shared server and reads
the findings through the CLI.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.realkube.objects import apply_all, grant, namespace

from .conftest import codes, pod, service

NET = "networking.istio.io/v1"


def _json(res: Any) -> list[dict[str, Any]]:
    assert res.stdout.strip(), res.stderr
    return list(json.loads(res.stdout))


def _vs(name: str, ns: str, host: str, subset: str | None = None) -> dict[str, Any]:
    dest: dict[str, Any] = {"host": host}
    if subset:
        dest["subset"] = subset
    return {"apiVersion": NET, "kind": "VirtualService", "metadata": {"name": name, "namespace": ns},
            "spec": {"hosts": [host], "http": [{"route": [{"destination": dest}]}]}}


# -- 1: -n reads what references point into, and reports only on -n ------------------------------

def test_namespace_flag_reads_referenced_namespaces(real_kube_istio: Any, real_kubeconfig: Any, run_cli: Any) -> None:
    kube, apps, routes = real_kube_istio, "l13-bookinfo", "l13-versions"
    for ns in (apps, routes):
        namespace(kube, ns)
    apply_all(kube, [
        service("details", apps, {"app": "details"}),
        pod("details-v1", apps, {"app": "details", "version": "v1"}),
        {"apiVersion": NET, "kind": "DestinationRule", "metadata": {"name": "details", "namespace": apps},
         "spec": {"host": "details", "subsets": [{"name": "v1", "labels": {"version": "v1"}}]}},
        _vs("broken", apps, "nowhere"),
        _vs("details", routes, f"details.{apps}.svc.cluster.local", "v1"),
    ])
    config = real_kubeconfig()
    res = run_cli("analyze", "-n", routes, "--kubeconfig", config, "-o", "json")
    found = _json(res)
    assert codes(found, "IST0101") == [], found
    assert all(routes in m["origin"] for m in found), found  # reported on -n only
    assert res.exit_code == 0, res.stdout
    # The deliberate mistake in the other namespace is reported there, not under -n routes.
    res = run_cli("analyze", "-n", apps, "--kubeconfig", config, "-o", "json")
    assert ("IST0101", f"VirtualService {apps}/broken") in codes(_json(res), "IST0101")
    assert res.exit_code == 79


# -- 2: namespaced RBAC: analyse what is readable, say once what is not ---------------------------

def test_namespaced_rbac_analyses_what_is_readable(real_kube_istio: Any, real_kubeconfig: Any, run_cli: Any) -> None:
    kube, ns = real_kube_istio, "l13-rbac"
    namespace(kube, ns)
    grant(kube, "nsuser", ns, [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["get", "list"]}])
    apply_all(kube, [service("web", ns, {"app": "web"}), _vs("web", ns, "nowhere")])
    config = real_kubeconfig("nsuser", ns)
    res = run_cli("analyze", "-n", ns, "--kubeconfig", config, "-o", "json")
    assert res.exit_code == 79, res.stderr
    assert ("IST0101", f"VirtualService {ns}/web") in codes(_json(res), "IST0101")
    assert res.stderr.count("access denied (403)") == 1, res.stderr
    assert "AuthorizationPolicy in the cluster scope, namespace istio-system" in res.stderr, res.stderr
    assert "this weakens" in res.stderr and "virtualservice.DestinationHostAnalyzer" in res.stderr
    strict = run_cli("analyze", "-n", ns, "--kubeconfig", config, "-o", "json", "--strict-access")
    assert strict.exit_code == 1
    assert any(m["code"] == "MSH0501" for m in _json(strict))


# -- 3: Secrets without Helm releases, ConfigMaps by name -----------------------------------------

def _ca_secret(ns: str, secret_type: str) -> dict[str, Any]:
    garbage = base64.b64encode(b"not a certificate").decode()
    return {"apiVersion": "v1", "kind": "Secret", "type": secret_type,
            "metadata": {"name": "istio-ca-secret", "namespace": ns},
            "data": {"ca-cert.pem": garbage, "ca-key.pem": garbage}}


def test_helm_release_secrets_are_not_read(real_kube_istio: Any, real_kubeconfig: Any, run_cli: Any) -> None:
    kube, helm_ns, opaque_ns, roots_ns = real_kube_istio, "l13-sec-helm", "l13-sec-opaque", "l13-sec-roots"
    for ns in (helm_ns, opaque_ns, roots_ns):
        namespace(kube, ns)
    apply_all(kube, [
        _ca_secret(helm_ns, "helm.sh/release.v1"), _ca_secret(opaque_ns, "Opaque"),
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "istio-ca-root-cert", "namespace": roots_ns},
         "data": {"root-cert.pem": "not a certificate"}},
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "unrelated", "namespace": roots_ns},
         "data": {"root-cert.pem": "not a certificate"}},
    ])
    config = real_kubeconfig()

    def origins(istio_ns: str) -> list[str]:
        res = run_cli("analyze", "-A", "--kubeconfig", config, "-o", "json", "--istioNamespace", istio_ns,
                      "--analyzer", "certificates.MeshRootCAAnalyzer")
        return [m["origin"] for m in _json(res) if m["code"] == "MSH0303"]

    assert f"Secret {opaque_ns}/istio-ca-secret" in origins(opaque_ns)
    found = origins(helm_ns)
    assert f"Secret {helm_ns}/istio-ca-secret" not in found  # a Helm release is never downloaded
    assert f"ConfigMap {roots_ns}/istio-ca-root-cert" in found  # every namespace's root, by name
    assert not any("unrelated" in o for o in found)


# -- 5: -f with -n merges over the cluster ----------------------------------------------------------

def test_file_with_namespace_is_merged_over_the_cluster(real_kube_istio: Any, real_kubeconfig: Any, run_cli: Any,
                                                        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kube, ns = real_kube_istio, "l13-change"
    namespace(kube, ns)
    apply_all(kube, [service("details", ns, {"app": "details"}), pod("details-v1", ns, {"app": "details"})])
    change = tmp_path / "change.yaml"
    change.write_text(yaml.safe_dump({"apiVersion": NET, "kind": "VirtualService", "metadata": {"name": "details"},
                                      "spec": {"hosts": ["details"],
                                               "http": [{"route": [{"destination": {"host": "details"}}]}]}}))
    monkeypatch.setenv("KUBECONFIG", real_kubeconfig())
    merged = run_cli("analyze", "-f", str(change), "-n", ns, "-o", "json")
    assert codes(_json(merged), "IST0101") == [] and merged.exit_code == 0, merged.stdout + merged.stderr
    offline = run_cli("analyze", "-f", str(change), "-n", ns, "-o", "json", "--use-kube=false")
    assert ("IST0101", f"VirtualService {ns}/details") in codes(_json(offline), "IST0101")
    assert offline.exit_code == 79


# -- 7: no false positives on stock configurations ----------------------------------------------

def test_gateway_port_matches_the_service_target_port(real_kube_istio: Any, real_kubeconfig: Any,
                                                      run_cli: Any) -> None:
    kube, ns, label = real_kube_istio, "l13-gw", {"istio": "l13-ingress"}
    namespace(kube, ns)

    def gateway(name: str, port: int) -> dict[str, Any]:
        return {"apiVersion": NET, "kind": "Gateway", "metadata": {"name": name, "namespace": ns},
                "spec": {"selector": label, "servers": [{"port": {"number": port, "name": "http", "protocol": "HTTP"},
                                                         "hosts": ["*"]}]}}

    apply_all(kube, [
        pod("ingress", ns, label, image="docker.io/istio/proxyv2:1.28.0", container="istio-proxy"),
        service("ingress", ns, label, [{"name": "http2", "port": 80, "targetPort": 8080},
                                       {"name": "https", "port": 443, "targetPort": "https"}]),
        gateway("bookinfo", 8080), gateway("wrong", 9999),
    ])
    res = run_cli("analyze", "-n", ns, "--kubeconfig", real_kubeconfig(), "-o", "json",
                  "--analyzer", "gateway.IngressGatewayPortAnalyzer")
    assert codes(_json(res)) == [("IST0162", f"Gateway {ns}/wrong")]


def test_subset_labels_are_combined_with_the_service_selector(real_kube_istio: Any, real_kubeconfig: Any,
                                                              run_cli: Any) -> None:
    kube, ns, other = real_kube_istio, "l13-subset", "l13-subset-other"
    for name in (ns, other):
        namespace(kube, name)
    apply_all(kube, [
        service("reviews", ns, {"app": "reviews"}), pod("reviews-v1", ns, {"app": "reviews", "version": "v1"}),
        service("ratings", ns, {"app": "ratings"}), pod("ratings-v2", ns, {"app": "ratings", "version": "v2"}),
        pod("reviews-v2", other, {"app": "reviews", "version": "v2"}),  # same labels, another namespace
        {"apiVersion": NET, "kind": "DestinationRule", "metadata": {"name": "reviews", "namespace": ns},
         "spec": {"host": "reviews", "subsets": [{"name": "v1", "labels": {"version": "v1"}},
                                                 {"name": "v2", "labels": {"version": "v2"}}]}},
    ])
    res = run_cli("analyze", "-n", ns, "--kubeconfig", real_kubeconfig(), "-o", "json",
                  "--analyzer", "destinationrule.SubsetSelectPodAnalyzer")
    found = _json(res)
    assert codes(found) == [("IST0173", f"DestinationRule {ns}/reviews")]
    assert "v2" in found[0]["message"]


# -- 10: a credential that cannot be obtained ------------------------------------------------------

def test_missing_exec_plugin_is_one_line_and_no_request(real_kube_istio: Any, real_kubeconfig: Any, run_cli: Any,
                                                        tmp_path: Path) -> None:
    config = json.loads(Path(real_kubeconfig()).read_text())
    config["users"][0]["user"] = {"exec": {"apiVersion": "client.authentication.k8s.io/v1",
                                           "command": "meshctl-test-missing-plugin", "interactiveMode": "Never"}}
    path = tmp_path / "exec.json"
    path.write_text(json.dumps(config))
    res = run_cli("analyze", "-A", "--kubeconfig", str(path))
    assert res.exit_code == 1
    assert res.stderr.count("\n") == 1 and "meshctl-test-missing-plugin" in res.stderr, res.stderr
    assert "ERROR:root" not in res.stderr and "403" not in res.stderr and "Forbidden" not in res.stderr
