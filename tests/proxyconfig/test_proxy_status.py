"""``meshctl proxy-status``: istiod's sync view (a loopback fake istiod) and, for one pod, istiod's config
against a real Envoy's dump reached through a port-forward."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from tests.proxyconfig.envoy_harness import CLUSTER
from tests.proxyconfig.fake_istiod import FakeIstiod, sync_status, synced
from tests.proxyconfig.test_pod_target import POD

PROXY = "backend-7f9c-abcde.shop"
ISTIOD_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: istiod-5d8f-xyz
  namespace: istio-system
  labels: {app: istiod}
spec:
  containers:
  - name: discovery
    image: docker.io/istio/pilot:1.28.0
    ports: [{name: http-monitoring, containerPort: 15014}]
status: {phase: Running}
"""


@pytest.fixture
def istiod() -> Iterator[FakeIstiod]:
    fake = FakeIstiod()
    yield fake
    fake.stop()


def _mixed() -> list[Any]:
    return [
        synced("a-1.shop"),
        sync_status("b-1.shop", cluster_sent="n7", cluster_acked="n6", listener_sent="l1", listener_acked="l1",
                    endpoint_sent="e1", endpoint_acked="e1", route_sent="r1", route_acked="r1"),
        sync_status("c-1.shop", cluster_sent="c1", cluster_acked="c1", listener_sent="l1", listener_acked="l1"),
    ]


def test_every_proxy_with_its_sync_state(run_cli, istiod: FakeIstiod) -> None:
    istiod.syncz = _mixed()
    res = run_cli("proxy-status", "--istiod-url", istiod.url)
    assert res.exit_code == 79, res.stderr
    assert "2 of 3 proxies are not in sync" in res.stderr
    header, *lines = res.stdout.splitlines()
    assert header.split()[:7] == ["NAME", "CLUSTER", "CDS", "LDS", "EDS", "RDS", "ECDS"]
    by_proxy = {line.split()[0]: line for line in lines}
    assert by_proxy["a-1.shop"].split()[2:6] == ["SYNCED"] * 4
    assert "STALE (sent n7, acked n6)" in by_proxy["b-1.shop"]
    assert by_proxy["c-1.shop"].count("NOT SENT") == 3
    rows = {r["proxy"]: r for r in json.loads(run_cli("proxy-status", "--istiod-url", istiod.url,
                                                      "-o", "json").stdout)}
    assert rows["b-1.shop"]["CDS"] == "STALE" and rows["b-1.shop"]["nonces"]["CDS"] == {"sent": "n7", "acked": "n6"}
    assert rows["a-1.shop"]["ECDS"] == "NOT SENT" and rows["a-1.shop"]["version"] == "1.28.0"


def test_all_synced_exits_0_and_the_file_twin(run_cli, istiod: FakeIstiod, tmp_path: Path) -> None:
    istiod.syncz = [synced("a-1.shop"), synced("b-1.shop", ("cluster", "listener", "endpoint", "route",
                                                             "extensionconfig"))]
    res = run_cli("proxy-status", "--istiod-url", istiod.url)
    assert res.exit_code == 0, res.stderr
    path = tmp_path / "syncz.json"
    path.write_text(json.dumps(_mixed()))
    offline = run_cli("proxy-status", "-f", str(path), "-o", "yaml")
    assert offline.exit_code == 79 and "proxy: b-1.shop" in offline.stdout


def test_not_a_syncz_document_is_65(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "syncz.json"
    path.write_text('{"not": "a list"}')
    res = run_cli("proxy-status", "-f", str(path))
    assert res.exit_code == 65 and res.stderr.count("\n") == 1


def test_port_forward_to_every_istiod_pod(run_cli, fake_api: Any, istiod: FakeIstiod) -> None:
    fake_api.load_yaml(ISTIOD_POD)
    fake_api.set_portforward_target("istio-system", "istiod-5d8f-xyz", 15014, istiod.port)
    istiod.syncz = [synced("a-1.shop")]
    res = run_cli("proxy-status", "--kubeconfig", fake_api.kubeconfig)
    assert res.exit_code == 0, res.stderr
    assert "istiod-5d8f-xyz (1.28.0)" in res.stdout and "/debug/syncz" in istiod.requests
    row = json.loads(run_cli("proxy-status", "--kubeconfig", fake_api.kubeconfig, "-o", "json").stdout)[0]
    assert (row["istiod"], row["istiodVersion"]) == ("istiod-5d8f-xyz", "1.28.0")


def _camel(node: Any) -> Any:
    if isinstance(node, dict):
        return {(k if k.startswith("@") else k.split("_")[0] + "".join(p.title() for p in k.split("_")[1:])):
                _camel(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_camel(v) for v in node]
    return node


@pytest.fixture
def mesh(fake_api: Any, envoy: Any, istiod: FakeIstiod) -> Any:
    import httpx

    fake_api.load_yaml(POD + "---\n" + ISTIOD_POD)
    fake_api.set_portforward_target("shop", "backend-7f9c-abcde", 15000, urlparse(envoy.admin_url).port)
    fake_api.set_portforward_target("istio-system", "istiod-5d8f-xyz", 15014, istiod.port)
    dump = httpx.get(envoy.admin_url + "/config_dump", timeout=5).json()
    # istiod's view: the dynamic resources only, in protojson's camelCase, other versions and times.
    configs = []
    for section in dump["configs"]:
        kind = section["@type"].rsplit(".", 1)[-1]
        if kind in ("ClustersConfigDump", "ListenersConfigDump", "RoutesConfigDump"):
            kept = {k: v for k, v in section.items() if k.startswith("dynamic") or k == "@type"}
            for items in kept.values():
                for item in items if isinstance(items, list) else []:
                    for holder in (item, item.get("active_state") or {}):
                        if "version_info" in holder:
                            holder["version_info"] = "istiod-view/1"
                        holder.pop("last_updated", None)
            configs.append(kept)
    istiod.dumps[PROXY] = _camel({"configs": configs})
    return fake_api


def test_pod_config_matches_istiods(run_cli, mesh: Any, istiod: FakeIstiod) -> None:
    res = run_cli("proxy-status", PROXY, "--kubeconfig", mesh.kubeconfig)
    assert res.exit_code == 0, res.stdout + res.stderr
    assert "Clusters match" in res.stdout and "Listeners match" in res.stdout and "Routes match" in res.stdout
    assert f"/debug/config_dump?proxyID={PROXY}" in istiod.requests


def test_pod_config_that_differs_exits_79(run_cli, mesh: Any, istiod: FakeIstiod) -> None:
    changed = copy.deepcopy(istiod.dumps[PROXY])
    clusters = next(c for c in changed["configs"] if c["@type"].endswith("ClustersConfigDump"))
    clusters["dynamicActiveClusters"][0]["cluster"]["connectTimeout"] = "5s"
    istiod.dumps[PROXY] = changed
    res = run_cli("proxy-status", PROXY, "--kubeconfig", mesh.kubeconfig, "-o", "json")
    assert res.exit_code == 79, res.stderr
    out = json.loads(res.stdout)
    assert {s["section"]: s["status"] for s in out["sections"]} == {
        "clusters": "DIFFERS", "listeners": "MATCH", "routes": "MATCH"}
    assert [(d["change"], d["name"]) for d in out["differences"]] == [("differs", CLUSTER)]


def test_pod_not_connected_to_istiod(run_cli, mesh: Any, istiod: FakeIstiod) -> None:
    istiod.dumps.clear()
    res = run_cli("proxy-status", PROXY, "--kubeconfig", mesh.kubeconfig)
    assert res.exit_code == 1 and res.stderr.count("\n") == 1 and "no istiod has proxy" in res.stderr


def test_a_nonce_that_is_not_a_string_is_65(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "syncz.json"
    path.write_text(json.dumps([{"proxy": "a-1.shop", "cluster_sent": 1}]))
    res = run_cli("proxy-status", "-f", str(path))
    assert res.exit_code == 65 and "cluster_sent of proxy 'a-1.shop' is not a string" in res.stderr
