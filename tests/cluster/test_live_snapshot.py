"""The live snapshot: one LIST per kind across the cluster, unavailable kinds, origins, and 5,000 pods."""

from __future__ import annotations

import math
import re
from typing import Any

import pytest

from meshctl.sources.live import SECRET_FIELDS, Read, fallback_scopes, load_live, reads_for

from .conftest import crd, options, pod

DISCOVERY = re.compile(r"^/(api|apis|version)(/[^/]+)?(/v[^/]+)?/?$")
SERVICE = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "default"},
           "spec": {"ports": [{"name": "foo", "port": 80, "targetPort": 80}], "selector": {"app": "web"}}}


def _list_paths(fake_api: Any) -> dict[str, int]:
    return {p: n for (m, p), n in fake_api.requests.items() if m == "GET" and not DISCOVERY.match(p)}


def test_fallback_scopes_and_reads() -> None:
    assert fallback_scopes("foo", "default", "istio-system") == ["foo", "istio-system"]
    assert fallback_scopes(None, "team", "istio-system") == ["team", "istio-system"]
    assert fallback_scopes("istio-system", "x", "istio-system") == ["istio-system"]
    assert reads_for("Pod", True, "istio-system") == [Read("Pod")]
    assert reads_for("Secret", True, "istio-system") == [Read("Secret", None, SECRET_FIELDS)]
    assert reads_for("ConfigMap", True, "mesh") == [Read("ConfigMap", "mesh"),
                                                    Read("ConfigMap", None, "metadata.name=istio-ca-root-cert")]


def test_load_live_reads_every_namespace_whatever_n_says(fake_api: Any) -> None:
    fake_api.add({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "foo"}})
    fake_api.add(pod("a", "foo"))
    fake_api.add(pod("b", "bar"))
    fake_api.add(pod("istiod", "istio-system"))
    fake_api.reset_counters()
    live = load_live(options(fake_api), {"Pod", "Namespace", "VirtualService", "MeshConfig"}, "foo", False)
    assert sorted(r.ref() for r in live.resources if r.kind == "Pod") == ["bar/b", "foo/a", "istio-system/istiod"]
    assert live.unavailable == frozenset({"VirtualService"})
    assert {r.origin.cluster for r in live.resources} == {"fake"}
    assert all(r.origin.path is None for r in live.resources)
    assert _list_paths(fake_api) == {"/api/v1/pods": 1, "/api/v1/namespaces": 1}


def test_istio_kinds_when_crds_are_installed(fake_api: Any) -> None:
    fake_api.add(crd("networking.istio.io", "VirtualService", "virtualservices", ("v1", "v1beta1")))
    fake_api.add({"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
                  "metadata": {"name": "r", "namespace": "default"}, "spec": {"hosts": ["web"]}})
    live = load_live(options(fake_api), {"VirtualService", "DestinationRule"}, None, True)
    assert [(r.key, r.ref()) for r in live.resources] == [("VirtualService", "default/r")]
    assert live.unavailable == frozenset({"DestinationRule"})


def test_verbose_says_which_analyzers_had_nothing_to_read(fake_api: Any, run_cli: Any) -> None:
    res = run_cli("analyze", "--kubeconfig", fake_api.kubeconfig, "-A", "-v")
    assert "skipped virtualservice.ConflictingMeshGatewayHostsAnalyzer: kinds not served: VirtualService" \
        in res.stderr, res.stderr


def test_findings_carry_the_object_reference(fake_api: Any, run_cli: Any) -> None:
    fake_api.add(SERVICE)
    res = run_cli("analyze", "--kubeconfig", fake_api.kubeconfig, "-n", "default")
    assert "IST0118" in res.stdout and "Service default/web" in res.stdout
    assert ".yaml" not in res.stdout


def test_secrets_are_loaded_but_never_printed(fake_api: Any, run_cli: Any) -> None:
    fake_api.add({"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
                  "metadata": {"name": "s", "namespace": "default"}, "data": {"password": "aHVudGVyMg=="}})
    fake_api.add({"apiVersion": "v1", "kind": "Secret", "type": "helm.sh/release.v1",
                  "metadata": {"name": "sh.helm.release.v1.x.v1", "namespace": "default"}, "data": {"release": "eA=="}})
    live = load_live(options(fake_api), {"Secret"}, None, False)
    assert [r.name for r in live.resources] == ["s"]  # Helm releases are filtered by the server
    res = run_cli("analyze", "--kubeconfig", fake_api.kubeconfig, "-A", "-v", "--debug", "-o", "yaml")
    assert "aHVudGVyMg" not in res.stdout + res.stderr


@pytest.mark.timeout(300)
def test_five_thousand_pods_list_once_per_page(fake_api: Any, run_cli: Any) -> None:
    for n in range(50):
        ns = f"ns{n:02d}"
        fake_api.add({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
        for i in range(100):
            fake_api.add(pod(f"p{i:03d}", ns, {"app": f"a{i % 7}"}))
    fake_api.reset_counters()
    res = run_cli("analyze", "--kubeconfig", fake_api.kubeconfig, "-A", "-o", "json")
    assert res.exit_code in (0, 79), res.stderr
    lists = _list_paths(fake_api)
    namespaced = {p for p in lists if "/namespaces/" in p}
    assert namespaced == {"/api/v1/namespaces/istio-system/configmaps"}, lists  # Istio's ConfigMaps only
    assert lists["/api/v1/pods"] == math.ceil(5000 / 500)
    assert all(n == 1 for p, n in lists.items() if p != "/api/v1/pods"), lists
    assert not [k for k in fake_api.requests if k[0] != "GET"]
