"""Discovery: aggregated documents (real server), the legacy fallback (fake server), the disk cache."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from meshctl.cluster import client as client_module
from meshctl.cluster.cache import DiscoveryCache, server_dir_name
from meshctl.cluster.client import get_client, reset_clients
from meshctl.cluster.discovery import Discovery, ServedResource, parse_aggregated
from meshctl.cluster.options import ClusterOptions

from .conftest import crd, options

DISCOVERY = re.compile(r"^/(api|apis)(/[^/]+)?(/v[^/]+)?/?$")


def _discovery_requests(fake_api: Any) -> int:
    return sum(n for (m, p), n in fake_api.requests.items() if m == "GET" and DISCOVERY.match(p))


def test_parse_aggregated_discovery() -> None:
    doc = {"kind": "APIGroupDiscoveryList", "items": [
        {"metadata": {"name": "networking.istio.io"}, "versions": [
            {"version": "v1", "resources": [{"resource": "virtualservices", "scope": "Namespaced",
                                             "responseKind": {"kind": "VirtualService"}}]},
            {"version": "v1beta1", "freshness": "Stale", "resources": []}]},
        {"metadata": {}, "versions": [{"version": "v1", "resources": [
            {"resource": "nodes", "scope": "Cluster", "responseKind": {"kind": "Node"}}]}]}]}
    served, stale = parse_aggregated(doc)
    assert served == [ServedResource("networking.istio.io", "v1", "virtualservices", "VirtualService", True),
                      ServedResource("", "v1", "nodes", "Node", False)]
    assert stale == ["networking.istio.io/v1beta1"]


def test_discovery_is_cached_on_disk_and_refreshed_on_a_miss(fake_api: Any) -> None:
    fake_api.add(crd("networking.istio.io", "VirtualService", "virtualservices"))
    assert get_client(options(fake_api)).discovery_for(["VirtualService"]).target_for_key("VirtualService")
    reset_clients()
    fake_api.reset_counters()
    assert get_client(options(fake_api)).discovery_for(["VirtualService"]).target_for_key("VirtualService")
    assert _discovery_requests(fake_api) == 0  # served from the cache
    fake_api.add(crd("networking.istio.io", "DestinationRule", "destinationrules"))
    reset_clients()
    found = get_client(options(fake_api)).discovery_for(["VirtualService", "DestinationRule"])
    assert found.target_for_key("DestinationRule") is not None  # a kind missing from the cache: discovered again
    assert _discovery_requests(fake_api) > 0


def test_cache_expires_and_ignores_garbage(tmp_path: Path) -> None:
    now = [1000.0]
    cache = DiscoveryCache(tmp_path, ttl=60, clock=lambda: now[0])
    found = Discovery((ServedResource("", "v1", "pods", "Pod", True),))
    cache.store("https://127.0.0.1:6443", found)
    assert cache.load("https://127.0.0.1:6443") == found
    now[0] += 61
    assert cache.load("https://127.0.0.1:6443") is None
    cache.store("https://10.0.0.1:443", Discovery((), failed=(("apps", "503"),)))  # partial: not cached
    assert cache.load("https://10.0.0.1:443") is None
    path = tmp_path / "discovery" / server_dir_name("https://127.0.0.1:6443") / "served.json"
    path.write_text("{not json")
    assert cache.load("https://127.0.0.1:6443") is None


def test_real_server_answers_aggregated_discovery_in_two_requests(real_kube_istio: Any, real_kubeconfig: Any,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    paths: list[str] = []
    real_send = client_module.send

    def counting(api: Any, req: Any, timeout: float) -> Any:
        paths.append(req.path)
        return real_send(api, req, timeout)

    monkeypatch.setattr(client_module, "send", counting)
    client = get_client(ClusterOptions(kubeconfig=real_kubeconfig(), timeout=30))
    found = client.discovery_for(["VirtualService", "Pod"])
    assert paths == ["/api", "/apis"]
    assert found.target_for_key("VirtualService") is not None and found.target_for_key("Pod") is not None
