"""The live source trusts a cached discovery for absent CRD kinds, and the CRD list tells it when one appeared."""

from __future__ import annotations

import re
from typing import Any

from meshctl.cluster.client import reset_clients
from meshctl.sources.live import load_live

from .conftest import crd, options

DISCOVERY = re.compile(r"^/(api|apis)(/[^/]+)?(/v[^/]+)?/?$")
KINDS = {"CustomResourceDefinition", "VirtualService", "DestinationRule", "Service"}
RULE = {"apiVersion": "networking.istio.io/v1", "kind": "DestinationRule",
        "metadata": {"name": "reviews", "namespace": "default"}, "spec": {"host": "reviews"}}


def _discovery_requests(fake_api: Any) -> int:
    return sum(n for (m, p), n in fake_api.requests.items() if m == "GET" and DISCOVERY.match(p))


def _load(fake_api: Any) -> Any:
    reset_clients()  # a new command: the discovery comes from the disk cache
    fake_api.reset_counters()
    return load_live(options(fake_api), KINDS, all_namespaces=True)


def test_absent_crd_kinds_do_not_refresh_a_cached_discovery(fake_api: Any) -> None:
    fake_api.add(crd("networking.istio.io", "VirtualService", "virtualservices"))
    first = _load(fake_api)
    assert "DestinationRule" in first.unavailable and _discovery_requests(fake_api) > 0
    again = _load(fake_api)
    assert "DestinationRule" in again.unavailable
    assert _discovery_requests(fake_api) == 0


def test_a_crd_installed_since_the_cache_was_written_is_read(fake_api: Any) -> None:
    fake_api.add(crd("networking.istio.io", "VirtualService", "virtualservices"))
    _load(fake_api)
    fake_api.add(crd("networking.istio.io", "DestinationRule", "destinationrules"))
    fake_api.add(RULE)
    found = _load(fake_api)
    assert "DestinationRule" not in found.unavailable
    assert [(r.key, r.name) for r in found.resources if r.key == "DestinationRule"] == [("DestinationRule", "reviews")]
    assert _discovery_requests(fake_api) > 0
