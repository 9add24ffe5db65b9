"""``analyze mtls`` (and describe) leave out of PeerAuthentication the ports istio-init does not capture:
istio-proxy's own 15090/15020/15021 and the ports the capture annotations exclude."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.describe.test_describe import POLICIES

INCLUDE_ONLY = """\
apiVersion: v1
kind: Pod
metadata:
  name: only-8080
  namespace: shop
  labels: {app: api}
  annotations: {traffic.sidecar.istio.io/includeInboundPorts: "8080"}
spec:
  containers:
  - {name: api, image: x, ports: [{containerPort: 8080}, {containerPort: 8081}]}
  - name: istio-proxy
    image: docker.io/istio/proxyv2:1.28.0
    ports: [{containerPort: 15020}, {containerPort: 15021}]
"""


@pytest.fixture
def manifests(tmp_path: Path) -> str:
    (tmp_path / "api.yaml").write_text(POLICIES + "---\n" + INCLUDE_ONLY)
    return str(tmp_path)


def test_uncaptured_ports_are_not_strict(run_cli, manifests: str) -> None:
    res = run_cli("analyze", "mtls", "-f", manifests, "-o", "json")
    assert res.exit_code == 0, res.stderr
    rows = {(r["workload"], r["port"]): (r["mode"], r["policy"]) for r in json.loads(res.stdout)}
    assert rows[("Pod/api-1", "8080")][0] == "STRICT"
    assert rows[("Pod/api-1", "15090")] == ("NONE (not captured)", "istio-proxy's own port, never captured")
    assert rows[("Pod/api-1", "9999")][0] == "NONE (not captured)"
    assert "excludeInboundPorts" in rows[("Pod/api-1", "9999")][1]
    assert rows[("Pod/only-8080", "8080")][0] == "STRICT"
    assert rows[("Pod/only-8080", "8081")] == ("NONE (not captured)",
                                               "not in traffic.sidecar.istio.io/includeInboundPorts")
    assert rows[("Pod/only-8080", "15020")][0] == rows[("Pod/only-8080", "15021")][0] == "NONE (not captured)"
    table = run_cli("analyze", "mtls", "-f", manifests).stdout
    assert not any("15090" in line and "STRICT" in line for line in table.splitlines())
