"""Ambient checks against a real kube-apiserver (Istio's CRDs, no Gateway API CRDs): live reads give the same
findings as files, and kinds the server does not serve (Gateway, ReferenceGrant) do not stop the checks."""

from __future__ import annotations

import json
from typing import Any

from tests.realkube.objects import apply_all

NS = "l17-ambient"


def test_live_ambient_findings(real_kube_istio: Any, real_kubeconfig: Any, run_cli: Any) -> None:
    apply_all(real_kube_istio, [
        {"apiVersion": "v1", "kind": "Namespace",
         "metadata": {"name": NS, "labels": {"istio.io/dataplane-mode": "ambient"}}},
        {"apiVersion": "v1", "kind": "Service",
         "metadata": {"name": "checkout", "namespace": NS, "labels": {"istio.io/use-waypoint": "missing"}},
         "spec": {"ports": [{"name": "http", "port": 8080}]}},
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "cart", "namespace": NS},
         "spec": {"ports": [{"name": "http", "port": 8080}]}},
        {"apiVersion": "security.istio.io/v1", "kind": "AuthorizationPolicy",
         "metadata": {"name": "cart-get", "namespace": NS},
         "spec": {"targetRefs": [{"kind": "Service", "group": "", "name": "cart"}],
                  "rules": [{"to": [{"operation": {"methods": ["GET"]}}]}]}},
    ])
    res = run_cli("analyze", "-n", NS, "--kubeconfig", real_kubeconfig(), "-o", "json",
                  "--analyzer", "ambient.UseWaypointAnalyzer", "--analyzer", "ambient.L7PolicyWithoutWaypointAnalyzer")
    assert res.stdout.strip(), res.stderr
    found = sorted((m["code"], m["origin"]) for m in json.loads(res.stdout))
    assert found == [("MSH1701", f"AuthorizationPolicy {NS}/cart-get"), ("MSH1702", f"Service {NS}/checkout")]
    assert res.exit_code == 79
