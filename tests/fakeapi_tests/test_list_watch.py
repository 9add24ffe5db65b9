"""LIST selectors, pagination and WATCH streams through the real client."""

from __future__ import annotations

import base64
import threading
import time

import pytest
from kubernetes import watch
from kubernetes.client.rest import ApiException

from .conftest import pod

LABELLED = [("a", {"app": "web", "tier": "fe"}), ("b", {"app": "db"}), ("c", {"app": "web", "env": "prod"}),
            ("d", {})]


@pytest.fixture
def labelled(fake_api):
    for name, labels in LABELLED:
        fake_api.add(pod(name, labels=labels, phase="Running" if name != "b" else "Pending",
                         node="node-2" if name == "c" else "node-1"))
    return fake_api


@pytest.mark.parametrize(("selector", "expected"), [
    ("app=web", ["a", "c"]), ("app==web", ["a", "c"]), ("app!=web", ["b", "d"]),
    ("app in (db, web)", ["a", "b", "c"]), ("app notin (web)", ["b", "d"]), ("env", ["c"]),
    ("!app", ["d"]), ("app=web,!env", ["a"]), ("app in (web),tier", ["a"]),
])
def test_label_selectors(labelled, core, selector, expected):
    items = core.list_namespaced_pod("default", label_selector=selector).items
    assert [p.metadata.name for p in items] == expected


@pytest.mark.parametrize(("selector", "expected"), [
    ("metadata.name=b", ["b"]), ("metadata.namespace=default", ["a", "b", "c", "d"]),
    ("status.phase=Pending", ["b"]), ("status.phase!=Pending", ["a", "c", "d"]),
    ("spec.nodeName=node-2", ["c"]), ("spec.nodeName=node-1,status.phase=Running", ["a", "d"]),
])
def test_field_selectors(labelled, core, selector, expected):
    items = core.list_pod_for_all_namespaces(field_selector=selector).items
    assert [p.metadata.name for p in items] == expected


def test_bad_selectors_are_400(labelled, core):
    for kwargs in ({"label_selector": "app in (web"}, {"field_selector": "spec.bogus=1"}):
        with pytest.raises(ApiException) as err:
            core.list_namespaced_pod("default", **kwargs)
        assert err.value.status == 400


def test_limit_and_continue(labelled, core):
    first = core.list_namespaced_pod("default", limit=3)
    assert [p.metadata.name for p in first.items] == ["a", "b", "c"]
    token = first.metadata._continue
    assert token and first.metadata.remaining_item_count == 1
    base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))  # opaque but base64
    second = core.list_namespaced_pod("default", limit=3, _continue=token)
    assert [p.metadata.name for p in second.items] == ["d"]
    assert not second.metadata._continue
    assert second.metadata.resource_version == first.metadata.resource_version


def test_list_resource_version_tracks_writes(fake_api, core):
    before = int(core.list_namespaced_config_map("default").metadata.resource_version)
    core.create_namespaced_config_map("default", {"metadata": {"name": "x"}})
    after = int(core.list_namespaced_config_map("default").metadata.resource_version)
    assert after == before + 1


def test_watch_streams_changes_after_resource_version(fake_api, core):
    rv = core.list_namespaced_config_map("default").metadata.resource_version
    fake_api.add({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "early"}})

    def writer():
        time.sleep(0.2)
        fake_api.add({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x", "namespace": "o"}})
        core.patch_namespaced_config_map("early", "default", {"data": {"k": "v"}})
        core.delete_namespaced_config_map("early", "default")

    thread = threading.Thread(target=writer)
    thread.start()
    seen = []
    w = watch.Watch()
    for event in w.stream(core.list_namespaced_config_map, "default", resource_version=rv, timeout_seconds=5):
        seen.append((event["type"], event["object"].metadata.name))
        if len(seen) == 3:
            w.stop()
    thread.join()
    assert seen == [("ADDED", "early"), ("MODIFIED", "early"), ("DELETED", "early")]


def test_watch_without_resource_version_sends_current_state(fake_api, core):
    fake_api.add(pod("p1", labels={"app": "web"}))
    fake_api.add(pod("p2", labels={"app": "db"}))
    started = time.monotonic()
    events = list(watch.Watch().stream(core.list_pod_for_all_namespaces, label_selector="app=web",
                                       timeout_seconds=1))
    assert [(e["type"], e["object"].metadata.name) for e in events] == [("ADDED", "p1")]
    assert 0.9 <= time.monotonic() - started < 4


def test_watch_raw_stream_format(fake_api):
    import http.client
    import json
    import ssl

    rv = fake_api.store.resource_version
    fake_api.add({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "w"}})
    conn = http.client.HTTPSConnection("127.0.0.1", fake_api.port, timeout=5,
                                       context=ssl.create_default_context(cafile=fake_api.ca_file))
    query = f"watch=1&resourceVersion={rv}&timeoutSeconds=1"
    conn.request("GET", f"/api/v1/namespaces/default/configmaps?{query}",
                 headers={"Authorization": f"Bearer {fake_api.token}"})
    resp = conn.getresponse()
    assert resp.getheader("Transfer-Encoding") == "chunked"
    lines = resp.read().decode().splitlines()
    conn.close()
    event = json.loads(lines[0])
    assert event["type"] == "ADDED" and event["object"]["kind"] == "ConfigMap"
    assert event["object"]["metadata"]["resourceVersion"] == str(rv + 1)
