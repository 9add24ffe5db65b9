"""JSON, merge and strategic-merge patches; server-side apply; dryRun on patches."""

from __future__ import annotations

import json

import pytest
import yaml
from kubernetes.client.rest import ApiException

from .conftest import raw

JSON_PATCH = "application/json-patch+json"
MERGE = "application/merge-patch+json"
STRATEGIC = "application/strategic-merge-patch+json"
APPLY = "application/apply-patch+yaml"


def _deployment(**labels: str) -> dict:
    return {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web", **labels}},
        "spec": {
            "replicas": 1, "selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web"}}, "spec": {
                "containers": [
                    {"name": "app", "image": "app:1", "ports": [{"containerPort": 8080}],
                     "env": [{"name": "A", "value": "1"}]},
                    {"name": "sidecar", "image": "side:1"},
                ],
                "tolerations": [{"key": "a"}],
            }},
        },
    }


def _stored(fake_api) -> dict:
    return fake_api.get_object("apps", "v1", "deployments", "web", "default")


def test_strategic_merge_keeps_labels_and_merges_lists(fake_api, apps):
    fake_api.add(_deployment(team="a"))
    patch = {"metadata": {"labels": {"istio-injection": "enabled"}},
             "spec": {"template": {"spec": {
                 "containers": [{"name": "app", "image": "app:2", "ports": [{"containerPort": 9090}],
                                 "env": [{"name": "B", "value": "2"}]},
                                {"name": "sidecar", "$patch": "delete"}],
                 "tolerations": [{"key": "b"}]}}}}
    before = int(_stored(fake_api)["metadata"]["resourceVersion"])
    apps.patch_namespaced_deployment("web", "default", patch, _content_type=STRATEGIC)
    obj = _stored(fake_api)
    assert obj["metadata"]["labels"] == {"app": "web", "team": "a", "istio-injection": "enabled"}
    (container,) = obj["spec"]["template"]["spec"]["containers"]
    assert container["image"] == "app:2"
    assert [p["containerPort"] for p in container["ports"]] == [8080, 9090]
    assert [e["name"] for e in container["env"]] == ["A", "B"]
    assert obj["spec"]["template"]["spec"]["tolerations"] == [{"key": "b"}]
    assert int(obj["metadata"]["resourceVersion"]) > before
    assert obj["metadata"]["generation"] == 2


def test_merge_patch_replaces_lists_and_deletes_nulls(fake_api, apps):
    fake_api.add(_deployment(team="a"))
    patch = {"metadata": {"labels": {"team": None}},
             "spec": {"template": {"spec": {"containers": [{"name": "only", "image": "x"}]}}}}
    apps.patch_namespaced_deployment("web", "default", patch, _content_type=MERGE)
    obj = _stored(fake_api)
    assert obj["metadata"]["labels"] == {"app": "web"}
    assert obj["spec"]["template"]["spec"]["containers"] == [{"name": "only", "image": "x"}]


def test_json_patch(fake_api, apps):
    fake_api.add(_deployment())
    ops = [{"op": "replace", "path": "/spec/replicas", "value": 4},
           {"op": "add", "path": "/metadata/annotations", "value": {"a": "b"}}]
    apps.patch_namespaced_deployment("web", "default", ops, _content_type=JSON_PATCH)
    obj = _stored(fake_api)
    assert obj["spec"]["replicas"] == 4 and obj["metadata"]["annotations"] == {"a": "b"}
    with pytest.raises(ApiException) as err:
        apps.patch_namespaced_deployment("web", "default", [{"op": "remove", "path": "/nope"}],
                                         _content_type=JSON_PATCH)
    assert err.value.status == 422


def test_patch_missing_object_is_404(apps):
    with pytest.raises(ApiException) as err:
        apps.patch_namespaced_deployment("ghost", "default", {"spec": {}}, _content_type=MERGE)
    assert err.value.status == 404


def test_unknown_patch_type_is_415(fake_api):
    fake_api.add(_deployment())
    code, _, body = raw(fake_api, "PATCH", "/apis/apps/v1/namespaces/default/deployments/web", {},
                        content_type="application/json")
    assert code == 415 and body["reason"] == "UnsupportedMediaType"


def test_patch_dry_run_does_not_store(fake_api, apps):
    fake_api.add(_deployment())
    out = apps.patch_namespaced_deployment("web", "default", {"spec": {"replicas": 9}}, dry_run="All",
                                           _content_type=MERGE)
    assert out.spec.replicas == 9
    assert _stored(fake_api)["spec"]["replicas"] == 1


def _apply(fake_api, manager: str | None, body: dict, force: bool = False, dry_run: bool = False):
    query = []
    if manager:
        query.append(f"fieldManager={manager}")
    if force:
        query.append("force=true")
    if dry_run:
        query.append("dryRun=All")
    path = "/apis/apps/v1/namespaces/default/deployments/web?" + "&".join(query)
    return raw(fake_api, "PATCH", path, yaml.safe_dump(body), content_type=APPLY)


def test_server_side_apply_creates_then_merges(fake_api, apps):
    desired = _deployment()
    desired["metadata"].pop("namespace")
    created = apps.patch_namespaced_deployment("web", "default", desired, field_manager="meshctl",
                                               _content_type=APPLY)
    assert created.metadata.uid and created.spec.replicas == 1
    apps.patch_namespaced_deployment("web", "default", {"metadata": {"labels": {"extra": "1"}}},
                                     _content_type=STRATEGIC, field_manager="kubectl")
    code, _, obj = _apply(fake_api, "meshctl", {**desired, "spec": {**desired["spec"], "replicas": 2}})
    assert code == 200
    assert obj["spec"]["replicas"] == 2
    assert obj["metadata"]["labels"] == {"app": "web", "extra": "1"}
    managers = {(m["manager"], m["operation"]) for m in obj["metadata"]["managedFields"]}
    assert managers == {("meshctl", "Apply"), ("kubectl", "Update")}


def test_apply_requires_field_manager(fake_api):
    code, _, body = _apply(fake_api, None, _deployment())
    assert code == 422 and body["reason"] == "Invalid" and "fieldManager" in body["message"]


def test_apply_conflict_and_force(fake_api):
    code, _, _ = _apply(fake_api, "first", _deployment())
    assert code == 201
    other = _deployment()
    other["spec"]["replicas"] = 5
    code, _, body = _apply(fake_api, "second", other)
    assert code == 409 and body["reason"] == "Conflict"
    assert '"first"' in body["message"] and "spec.replicas" in body["message"]
    assert _stored(fake_api)["spec"]["replicas"] == 1
    code, _, body = _apply(fake_api, "second", other, force=True)
    assert code == 200 and body["spec"]["replicas"] == 5


def test_apply_drops_fields_the_manager_no_longer_sets(fake_api):
    _apply(fake_api, "meshctl", _deployment(extra="x"))
    _, _, body = _apply(fake_api, "meshctl", _deployment())
    assert body["metadata"]["labels"] == {"app": "web"}


def test_apply_dry_run(fake_api):
    code, _, body = _apply(fake_api, "meshctl", _deployment(), dry_run=True)
    assert code == 201 and body["metadata"]["name"] == "web"
    assert _stored(fake_api) is None


def test_apply_body_is_yaml_on_the_wire(fake_api):
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y\ndata:\n  k: v\n"
    code, _, body = raw(fake_api, "PATCH", "/api/v1/namespaces/default/configmaps/y?fieldManager=m", text,
                        content_type=APPLY)
    assert code == 201 and body["data"] == {"k": "v"}
    assert json.dumps(body["metadata"]["managedFields"][0]["fieldsV1"]) == '{"f:data": {"f:k": {}}}'
