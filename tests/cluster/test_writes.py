"""Writes through the real client: create, patches, server-side apply, delete, dry-run."""

from __future__ import annotations

from typing import Any

import pytest

from meshctl.cluster.client import get_client
from meshctl.errors import ClusterError

from .conftest import crd, options

DEPLOY = {
    "apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web", "team": "a"}},
    "spec": {"selector": {"matchLabels": {"app": "web"}},
             "template": {"metadata": {"labels": {"app": "web"}},
                          "spec": {"containers": [{"name": "app", "image": "nginx:1"},
                                                  {"name": "side", "image": "busybox"}]}}},
}


def _stored(fake_api: Any, name: str = "web") -> dict[str, Any] | None:
    return fake_api.get_object("apps", "v1", "deployments", name, "default")


def test_create_and_conflict(fake_api: Any) -> None:
    client = get_client(options(fake_api))
    created = client.create(DEPLOY)
    assert created["metadata"]["uid"] and _stored(fake_api) is not None
    with pytest.raises(ClusterError, match="cannot create deployments.apps in namespace default \\(409"):
        client.create(DEPLOY)


def test_create_uses_the_default_namespace(fake_api: Any) -> None:
    client = get_client(options(fake_api))
    client.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"k": "v"}})
    assert fake_api.get_object("", "v1", "configmaps", "c", "default")["data"] == {"k": "v"}


def test_merge_patch_keeps_other_labels(fake_api: Any) -> None:
    fake_api.add(DEPLOY)
    client = get_client(options(fake_api))
    client.merge_patch("Deployment", "web", {"metadata": {"labels": {"istio-injection": "on"}}}, "default")
    assert _stored(fake_api)["metadata"]["labels"] == {"app": "web", "team": "a", "istio-injection": "on"}


def test_strategic_patch_merges_containers_by_name(fake_api: Any) -> None:
    fake_api.add(DEPLOY)
    client = get_client(options(fake_api))
    patch = {"spec": {"template": {"spec": {"containers": [{"name": "app", "image": "nginx:2"}]}}}}
    client.strategic_patch("Deployment", "web", patch, "default")
    containers = _stored(fake_api)["spec"]["template"]["spec"]["containers"]
    assert [(c["name"], c["image"]) for c in containers] == [("app", "nginx:2"), ("side", "busybox")]


def test_server_side_apply(fake_api: Any) -> None:
    client = get_client(options(fake_api))
    client.apply(DEPLOY)
    changed = {**DEPLOY, "metadata": {**DEPLOY["metadata"], "labels": {"app": "web", "team": "b"}}}
    out = client.apply(changed)
    assert out["metadata"]["labels"]["team"] == "b"
    assert _stored(fake_api)["metadata"]["labels"]["team"] == "b"
    applies = [q for m, p, q in fake_api.request_log if m == "PATCH"]
    assert applies and all(q.get("fieldManager") == "meshctl" and q.get("force") == "true" for q in applies)


def test_apply_any_kind_found_through_discovery(fake_api: Any) -> None:
    fake_api.add(crd("example.com", "Widget", "widgets", ("v1alpha1",)))
    client = get_client(options(fake_api))
    client.apply({"apiVersion": "example.com/v1alpha1", "kind": "Widget",
                  "metadata": {"name": "w", "namespace": "default"}, "spec": {"size": 3}})
    assert fake_api.get_object("example.com", "v1alpha1", "widgets", "w", "default")["spec"] == {"size": 3}
    with pytest.raises(ClusterError, match="does not serve Gadget in example.com/v1"):
        client.apply({"apiVersion": "example.com/v1", "kind": "Gadget", "metadata": {"name": "g"}})


def test_delete(fake_api: Any) -> None:
    fake_api.add(DEPLOY)
    client = get_client(options(fake_api))
    assert client.delete("Deployment", "web", "default") is True
    assert _stored(fake_api) is None
    assert client.delete("Deployment", "web", "default") is False


def test_dry_run_stores_nothing(fake_api: Any) -> None:
    client = get_client(options(fake_api))
    client.create(DEPLOY, dry_run=True)
    client.apply(DEPLOY, dry_run=True)
    assert _stored(fake_api) is None
    fake_api.add(DEPLOY)
    client.merge_patch("Deployment", "web", {"metadata": {"labels": {"x": "y"}}}, "default", dry_run=True)
    client.strategic_patch("Deployment", "web", {"metadata": {"labels": {"x": "y"}}}, "default", dry_run=True)
    assert "x" not in _stored(fake_api)["metadata"]["labels"]
    assert client.delete("Deployment", "web", "default", dry_run=True) is True
    assert _stored(fake_api) is not None
    writes = [q for m, _, q in fake_api.request_log if m in ("POST", "PATCH", "DELETE")]
    assert len(writes) == 5 and all(q.get("dryRun") == "All" for q in writes)
