"""Against the real kube-apiserver with Istio's CRDs (issue 13, point 8): the cluster's CRD schemas
accept what Istio's API has, and the values istiod rejects (an RE2-invalid regex) are still errors."""

from __future__ import annotations

import json
from typing import Any

from tests.realkube.objects import apply_all, namespace

NET = "networking.istio.io/v1"
NS = "l13-schemas"


def test_live_schemas_and_regexes(real_kube_istio: Any, real_kubeconfig: Any, run_cli: Any) -> None:
    kube = real_kube_istio
    namespace(kube, NS)
    route = [{"destination": {"host": "web"}}]
    apply_all(kube, [
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": NS},
         "spec": {"selector": {"app": "web"}, "ports": [{"name": "http", "port": 80}]}},
        # The API server admits this (its CRD has no regex rule); istiod would reject the route.
        {"apiVersion": NET, "kind": "VirtualService", "metadata": {"name": "bad-regex", "namespace": NS},
         "spec": {"hosts": ["web"], "http": [{"match": [{"uri": {"regex": "(("}}], "route": route}]}},
        # Fields the old hand-written schemas lacked.
        {"apiVersion": NET, "kind": "VirtualService", "metadata": {"name": "mirrored", "namespace": NS},
         "spec": {"hosts": ["web"], "http": [{"route": route, "mirror": {"host": "web"}, "mirror_percent": 5}]}},
        {"apiVersion": NET, "kind": "DestinationRule", "metadata": {"name": "web", "namespace": NS},
         "spec": {"host": "web", "trafficPolicy": {"retryBudget": {"percent": 20}}}},
    ])
    res = run_cli("analyze", "-n", NS, "--kubeconfig", real_kubeconfig(), "-o", "json",
                  "--analyzer", "schema.ValidationAnalyzer.VirtualService",
                  "--analyzer", "schema.ValidationAnalyzer.DestinationRule")
    assert res.stdout.strip(), res.stderr
    found = [(m["code"], m["origin"], m.get("path")) for m in json.loads(res.stdout)]
    assert found == [("IST0106", f"VirtualService {NS}/bad-regex", "spec.http[0].match[0].uri.regex")]
    assert res.exit_code == 79
