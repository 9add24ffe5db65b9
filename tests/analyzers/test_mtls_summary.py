"""`meshctl analyze mtls`: the effective mTLS mode per workload port."""

from __future__ import annotations

import json
from pathlib import Path

MESH = """\
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio-injection: enabled}}
---
apiVersion: v1
kind: Namespace
metadata: {name: legacy}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: istio-system}
spec: {mtls: {mode: STRICT}}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  portLevelMtls: {"9090": {mode: PERMISSIVE}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers: [{name: api, image: x, ports: [{containerPort: 8080}, {containerPort: 9090}]}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: old, namespace: legacy}
spec:
  selector: {matchLabels: {app: old}}
  template:
    metadata: {labels: {app: old}}
    spec: {containers: [{name: old, image: x}]}
"""


def test_mtls_view_shows_levels(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "mesh.yaml"
    path.write_text(MESH)
    rows = json.loads(run_cli("analyze", "mtls", "-f", str(path), "-o", "json").stdout)
    by_key = {(r["workload"], r["port"]): r for r in rows}
    assert by_key[("Deployment/api", "8080")]["mode"] == "STRICT"
    assert "istio-system/default (mesh)" in by_key[("Deployment/api", "8080")]["policy"]
    assert by_key[("Deployment/api", "9090")]["mode"] == "PERMISSIVE"
    assert "(port)" in by_key[("Deployment/api", "9090")]["policy"]
    assert by_key[("Deployment/old", "*")]["sidecar"] is False


def test_mtls_view_namespace_filter_and_table(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "mesh.yaml"
    path.write_text(MESH)
    res = run_cli("analyze", "mtls", "-f", str(path), "-n", "legacy", "--use-kube=false")
    assert res.exit_code == 0
    assert res.stdout.splitlines()[0].split()[:4] == ["NAMESPACE", "WORKLOAD", "PORT", "MODE"]
    assert "Deployment/api" not in res.stdout and "Deployment/old" in res.stdout


def test_unknown_view_is_usage_error(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "mesh.yaml"
    path.write_text(MESH)
    assert run_cli("analyze", "bogus", "-f", str(path)).exit_code == 64
