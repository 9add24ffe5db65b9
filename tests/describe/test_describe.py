"""``meshctl describe pod|service``: offline from ``examples/`` and live from a real kube-apiserver; the
routing picture's nodes and edges, read back from the Mermaid and DOT text."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO

EXAMPLES = str(REPO / "examples" / "bookinfo")
REVIEWS = "reviews.shop.svc.cluster.local"


def _run(run_cli: Any, *args: str) -> Any:
    res = run_cli("describe", *args)
    assert res.exit_code == 0, res.stderr
    return res


def mermaid_graph(text: str) -> tuple[dict[str, str], set[tuple[str, str, str, str]]]:
    """(node id -> label, {(source label, arrow, edge label, target label)}) of a Mermaid flowchart."""
    nodes = {m.group(1): m.group(2) for m in re.finditer(r'^\s+(n\d+)\W+"(.*?)"\W*$', text, re.M)
             if "--" not in m.group(0)}
    edges = {(nodes[m.group(1)], m.group(2), m.group(3), nodes[m.group(4)])
             for m in re.finditer(r'^\s+(n\d+) (-->|-\.->)\|"(.*?)"\| (n\d+)$', text, re.M)}
    return nodes, edges


def dot_graph(text: str) -> tuple[dict[str, str], set[tuple[str, str, str, str]]]:
    """The same from a DOT digraph (arrow ``-.->`` for dashed edges)."""
    nodes = {m.group(1): m.group(2) for m in re.finditer(r'^\s+(n\d+) \[label="(.*?)", shape=\w+\];$', text, re.M)}
    edges = {(nodes[m.group(1)], "-.->" if m.group(4) else "-->", m.group(3), nodes[m.group(2)])
             for m in re.finditer(r'^\s+(n\d+) -> (n\d+) \[label="(.*?)"(, style=dashed)?\];$', text, re.M)}
    return nodes, edges


REVIEWS_EDGES = {
    ("mesh (sidecars)", "-->", "VirtualService shop/reviews", REVIEWS),
    (REVIEWS, "-->", "80%", f"{REVIEWS} subset v1"),
    (REVIEWS, "-->", "20%", f"{REVIEWS} subset v2"),
    (REVIEWS, "-->", "10%", f"{REVIEWS} subset v3 (not defined)"),
    (REVIEWS, "-.->", "mirror 25%", "reviews-shadow.shop.svc.cluster.local"),
}
FRONTEND_EDGES = {
    ("Gateway shop/shop-gateway", "-->", "VirtualService shop/frontend", "shop.example.com"),
    ("shop.example.com", "-->", "100%", "frontend.shop.svc.cluster.local:80"),
}


@pytest.mark.parametrize(("args", "edges"), [
    (("service", "reviews.shop"), REVIEWS_EDGES),
    (("pod", "reviews-v2-5b6f7c8d9-fghij", "-n", "shop"), REVIEWS_EDGES),
    (("pod", "frontend-6c7d8e9f0-klmno.shop"), FRONTEND_EDGES),
])
def test_the_routing_picture_of_the_examples(run_cli, args: tuple[str, ...], edges: set[Any]) -> None:
    mermaid = _run(run_cli, *args, "-f", EXAMPLES, "-o", "mermaid").stdout
    assert mermaid.splitlines()[0] == "flowchart LR"
    nodes, got = mermaid_graph(mermaid)
    assert got == edges
    assert set(nodes.values()) == {label for e in edges for label in (e[0], e[3])}
    dot = _run(run_cli, *args, "-f", EXAMPLES, "-o", "dot").stdout
    assert dot.startswith("digraph ") and dot.rstrip().endswith("}")
    assert dot_graph(dot)[1] == edges


def test_a_service_without_virtual_service_gets_the_default_route(run_cli) -> None:
    nodes, edges = mermaid_graph(_run(run_cli, "service", "ledger.payments", "-f", EXAMPLES, "-o", "mermaid").stdout)
    host = "ledger.payments.svc.cluster.local"
    assert edges == {("mesh (sidecars)", "-->", "default route", host), (host, "-->", "100%", host)}


def test_pod_description_as_json(run_cli) -> None:
    doc = json.loads(_run(run_cli, "pod", "reviews-v1-7d9c8b5f4-abcde.shop", "-f", EXAMPLES, "-o", "json").stdout)
    assert [s["service"] for s in doc["services"]] == ["shop/reviews"]
    route = doc["routes"][0]
    assert route["virtualService"] == "shop/reviews" and route["gateways"] == ["mesh"]
    assert [(d["subset"], d["weight"]) for d in route["destinations"]] == [("v1", 80), ("v2", 20), ("v3", 10)]
    assert route["mirrors"][0]["percentage"] == 25.0
    rule = doc["destinationRules"][0]
    assert rule["destinationRule"] == "shop/reviews" and rule["tlsMode"] == {"9080": "ISTIO_MUTUAL"}
    assert [(s["name"], s["selectsThisPod"]) for s in rule["subsets"]] == [("v1", True), ("v2", False)]
    assert doc["mtls"] == [{"port": 9080, "mode": "STRICT", "decidedBy": "PeerAuthentication shop/default (namespace)"}]
    assert doc["injection"]["injected"] is True and "istio-injection=enabled" in doc["injection"]["reason"]
    codes = {f["code"] for f in doc["findings"]}
    assert {"IST0101", "MSH0101", "IST0118"} <= codes
    assert all("ledger" not in f["resource"] for f in doc["findings"])


def test_text_names_every_part(run_cli) -> None:
    out = _run(run_cli, "pod", "reviews-v1-7d9c8b5f4-abcde.shop", "-f", EXAMPLES).stdout
    for expected in ("Sidecar injection: injected", "VirtualService shop/reviews",
                     "subset v1 (version=v1)  <- this pod", "9080: STRICT", "AuthorizationPolicies: none",
                     "Findings of analyze:"):
        assert expected in out, expected


POLICIES = """\
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: mesh, namespace: istio-system}
spec: {mtls: {mode: PERMISSIVE}}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  mtls: {mode: STRICT}
  portLevelMtls: {"8081": {mode: DISABLE}}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: deny-admin, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  action: DENY
  rules: [{to: [{operation: {paths: ["/admin"]}}]}]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: other, namespace: shop}
spec:
  selector: {matchLabels: {app: other}}
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: api, namespace: shop}
spec:
  workloadSelector: {labels: {app: api}}
  egress: [{hosts: ["./*", "istio-system/*"]}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: api, namespace: shop}
spec:
  hosts: [api]
  http:
  - match: [{uri: {prefix: /v2}}]
    route: [{destination: {host: api, port: {number: 8080}}}]
    timeout: 3s
    retries: {attempts: 2, perTryTimeout: 1s}
    fault: {delay: {fixedDelay: 2s, percentage: {value: 10}}}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  selector: {app: api}
  ports: [{name: http, port: 8080}, {name: http-admin, port: 8081}]
---
apiVersion: v1
kind: Pod
metadata:
  name: api-1
  namespace: shop
  labels: {app: api}
  annotations: {traffic.sidecar.istio.io/excludeInboundPorts: "9999"}
spec:
  containers:
  - {name: api, image: x, ports: [{containerPort: 8080}, {containerPort: 8081}, {containerPort: 9999}]}
  - {name: istio-proxy, image: "docker.io/istio/proxyv2:1.28.0", ports: [{containerPort: 15090}]}
"""


def test_policies_precedence_authorization_sidecar_and_route_policies(run_cli, tmp_path: Path) -> None:
    (tmp_path / "api.yaml").write_text(POLICIES)
    doc = yaml.safe_load(_run(run_cli, "pod", "api-1.shop", "-f", str(tmp_path), "-o", "yaml").stdout)
    modes = {row["port"]: (row["mode"], row["decidedBy"]) for row in doc["mtls"]}
    assert modes[8080] == ("STRICT", "PeerAuthentication shop/api (workload)")
    assert modes[8081] == ("DISABLE", "PeerAuthentication shop/api (port)")
    assert modes[9999][0] == "NONE (not captured)" and "excludeInboundPorts" in modes[9999][1]
    assert modes[15090] == ("NONE (not captured)", "istio-proxy's own port, never captured")
    assert doc["authorizationPolicies"] == [
        {"authorizationPolicy": "shop/deny-admin", "action": "DENY", "scope": "workload", "rules": 1}]
    assert doc["sidecar"] == {"sidecar": "shop/api", "scope": "workload", "egressHosts": ["./*", "istio-system/*"]}
    route = doc["routes"][0]
    assert route["match"] == ["uri prefix /v2"] and route["timeout"] == "3s"
    assert route["retries"]["attempts"] == 2 and route["fault"]["delay"]["fixedDelay"] == "2s"


def test_unknown_target_and_kind(run_cli) -> None:
    res = run_cli("describe", "pod", "nope.shop", "-f", EXAMPLES)
    assert res.exit_code == 65 and "nope" in res.stderr and res.stderr.count("\n") == 1
    assert run_cli("describe", "node", "x", "-f", EXAMPLES).exit_code == 64
    assert run_cli("describe", "pod", "x", "-f", EXAMPLES, "-o", "png").exit_code == 64


def test_live_from_a_real_api_server(run_cli, real_kube_istio: Any, real_kubeconfig: Any) -> None:
    from tests.realkube.objects import apply_all, delete_namespace

    suffix = uuid.uuid4().hex[:6]
    shop, payments = f"shop-{suffix}", f"payments-{suffix}"
    docs = []
    for path in sorted(Path(EXAMPLES).glob("*.yaml")):
        text = path.read_text().replace("namespace: shop", f"namespace: {shop}").replace(
            "name: shop\n", f"name: {shop}\n").replace("namespace: payments", f"namespace: {payments}").replace(
            "name: payments\n", f"name: {payments}\n").replace("ledger.payments.svc", f"ledger.{payments}.svc")
        docs += [d for d in yaml.safe_load_all(text) if d]
    docs.sort(key=lambda d: d["kind"] != "Namespace")
    apply_all(real_kube_istio, docs)
    try:
        res = run_cli("describe", "service", f"reviews.{shop}", "--kubeconfig", real_kubeconfig(), "-o", "mermaid")
        assert res.exit_code == 0, res.stderr
        fqdn = f"reviews.{shop}.svc.cluster.local"
        _, edges = mermaid_graph(res.stdout)
        assert (fqdn, "-->", "80%", f"{fqdn} subset v1") in edges
        assert ("mesh (sidecars)", "-->", f"VirtualService {shop}/reviews", fqdn) in edges
        doc = json.loads(run_cli("describe", "pod", f"reviews-v1-7d9c8b5f4-abcde.{shop}", "--kubeconfig",
                                 real_kubeconfig(), "-o", "json").stdout)
        assert doc["services"][0]["service"] == f"{shop}/reviews" and doc["injection"]["injected"] is True
        assert any(f["code"] == "MSH0101" for f in doc["findings"])
    finally:
        delete_namespace(real_kube_istio, shop)
        delete_namespace(real_kube_istio, payments)


@pytest.mark.parametrize("output", ["text", "json", "mermaid", "dot"])
@pytest.mark.parametrize("target", [("pod", "api-1.shop"), ("service", "api.shop")])
def test_wrong_field_types_are_skipped_not_a_crash(run_cli, output: str, target: tuple[str, str]) -> None:
    # Istio objects with numbers where lists and maps belong: analyze reports them (IST0106), describe
    # leaves those parts out.
    res = run_cli("describe", *target, "-f", str(Path(__file__).with_name("wrong_types.yaml")), "-o", output)
    assert res.exit_code == 0, res.stderr
    if output == "text":
        assert "IST0106" in res.stdout
