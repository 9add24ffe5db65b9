"""The next LIST page is asked for while the current one is decoded: its token is read from the body's start."""

from __future__ import annotations

import json
from typing import Any

from meshctl.cluster.client import get_client, peek_continue
from tests.cluster.conftest import options


def test_token_read_from_the_start_of_a_list_body() -> None:
    body = {"kind": "PodList", "apiVersion": "v1",
            "metadata": {"resourceVersion": "7", "continue": "eyJ2IjoiIn0", "remainingItemCount": 3},
            "items": [{"metadata": {"name": "a", "continue": "not-this"}}]}
    assert peek_continue(json.dumps(body, separators=(",", ":")).encode()) == "eyJ2IjoiIn0"
    last = {**body, "metadata": {"resourceVersion": "7"}}
    assert peek_continue(json.dumps(last, separators=(",", ":")).encode()) is None


def test_no_token_guessed_from_bodies_of_another_shape() -> None:
    items_first = {"items": [{"metadata": {"continue": "x"}}], "metadata": {"continue": "y"}}
    assert peek_continue(json.dumps(items_first, separators=(",", ":")).encode()) is None
    assert peek_continue(b'{"kind":"Status","metadata":{},"code":410}') is None
    assert peek_continue(b'{"kind":"PodList","metadata":{"continue":') is None  # truncated
    assert peek_continue(b"") is None


def test_pages_in_order_with_one_request_per_page(fake_api: Any) -> None:
    for i in range(1234):
        fake_api.add({"apiVersion": "v1", "kind": "ConfigMap",
                      "metadata": {"name": f"cm-{i:04d}", "namespace": "default"}})
    fake_api.reset_counters()
    pages = list(get_client(options(fake_api)).pages("ConfigMap", "default"))
    assert [len(p) for p in pages] == [500, 500, 234]
    assert [i["metadata"]["name"] for p in pages for i in p] == [f"cm-{i:04d}" for i in range(1234)]
    assert fake_api.requests[("GET", "/api/v1/namespaces/default/configmaps")] == 3
