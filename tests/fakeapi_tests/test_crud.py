"""CRUD on namespaced, cluster-scoped and CRD-backed kinds; Status errors."""

from __future__ import annotations

import json

import pytest
from kubernetes import client
from kubernetes.client.rest import ApiException
from kubernetes.dynamic import DynamicClient

from .conftest import ISTIO_CRD, pod, raw


def _status(err: pytest.ExceptionInfo[ApiException]) -> dict:
    body = json.loads(err.value.body)
    assert body["kind"] == "Status" and body["apiVersion"] == "v1" and body["status"] == "Failure"
    assert body["code"] == err.value.status
    return body


def test_create_get_fills_metadata(core):
    first = core.create_namespaced_config_map("default", {"metadata": {"name": "a"}, "data": {"k": "v"}})
    second = core.create_namespaced_config_map("default", {"metadata": {"name": "b"}})
    assert first.metadata.uid and first.metadata.uid != second.metadata.uid
    assert int(second.metadata.resource_version) > int(first.metadata.resource_version)
    assert first.metadata.creation_timestamp is not None
    assert first.metadata.generation == 1
    got = core.read_namespaced_config_map("a", "default")
    assert got.data == {"k": "v"} and got.metadata.uid == first.metadata.uid


def test_list_across_namespaces_and_cluster_scoped(fake_api, core):
    fake_api.add(pod("p1", "ns-a"))
    fake_api.add(pod("p2", "ns-b"))
    assert [p.metadata.name for p in core.list_pod_for_all_namespaces().items] == ["p1", "p2"]
    assert [p.metadata.name for p in core.list_namespaced_pod("ns-b").items] == ["p2"]
    core.create_node({"metadata": {"name": "node-1"}})
    assert [n.metadata.name for n in core.list_node().items] == ["node-1"]
    assert {"ns-a", "ns-b", "default"} <= {n.metadata.name for n in core.list_namespace().items}


def test_not_found_status(core):
    with pytest.raises(ApiException) as err:
        core.read_namespaced_service("missing", "default")
    body = _status(err)
    assert err.value.status == 404
    assert body["reason"] == "NotFound"
    assert body["message"] == 'services "missing" not found'
    assert body["details"] == {"name": "missing", "kind": "services"}


def test_already_exists(core):
    core.create_namespaced_service_account("default", {"metadata": {"name": "sa"}})
    with pytest.raises(ApiException) as err:
        core.create_namespaced_service_account("default", {"metadata": {"name": "sa"}})
    assert err.value.status == 409 and _status(err)["reason"] == "AlreadyExists"


def test_missing_name_is_invalid(core):
    with pytest.raises(ApiException) as err:
        core.create_namespaced_config_map("default", {"metadata": {}})
    body = _status(err)
    assert err.value.status == 422 and body["reason"] == "Invalid"
    assert body["details"]["causes"][0]["field"] == "metadata.name"


def test_generate_name(core):
    made = core.create_namespaced_config_map("default", {"metadata": {"generateName": "cm-"}})
    assert made.metadata.name.startswith("cm-") and len(made.metadata.name) == 8


def test_create_in_missing_namespace_is_404(core):
    with pytest.raises(ApiException) as err:
        core.create_namespaced_config_map("nope", {"metadata": {"name": "x"}})
    assert err.value.status == 404 and _status(err)["message"] == 'namespaces "nope" not found'


def test_put_conflict_on_stale_resource_version(apps, fake_api):
    fake_api.add({"apiVersion": "apps/v1", "kind": "Deployment",
                  "metadata": {"name": "web", "namespace": "default"},
                  "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                           "template": {"metadata": {"labels": {"app": "web"}},
                                        "spec": {"containers": [{"name": "a", "image": "a"}]}}}})
    current = apps.read_namespaced_deployment("web", "default")
    stale = current.metadata.resource_version
    current.spec.replicas = 3
    updated = apps.replace_namespaced_deployment("web", "default", current)
    assert updated.spec.replicas == 3 and updated.metadata.generation == 2
    current.metadata.resource_version = stale
    with pytest.raises(ApiException) as err:
        apps.replace_namespaced_deployment("web", "default", current)
    body = _status(err)
    assert err.value.status == 409 and body["reason"] == "Conflict"
    assert "the object has been modified" in body["message"]


def test_put_missing_is_404(core):
    with pytest.raises(ApiException) as err:
        core.replace_namespaced_config_map("ghost", "default", {"metadata": {"name": "ghost"}})
    assert err.value.status == 404


def test_delete_returns_status_or_object(core, fake_api):
    core.create_namespaced_secret("default", {"metadata": {"name": "s"}, "data": {"k": "dg=="}})
    status = core.delete_namespaced_secret("s", "default")
    status = status if isinstance(status, dict) else status.to_dict()
    assert status["kind"] == "Status" and status["status"] == "Success"
    assert status["details"]["name"] == "s"
    fake_api.add(pod("p"))
    deleted = core.delete_namespaced_pod("p", "default")
    deleted = deleted if isinstance(deleted, dict) else client.ApiClient().sanitize_for_serialization(deleted)
    assert deleted["kind"] == "Pod" and deleted["metadata"]["deletionTimestamp"]
    assert fake_api.get_object("", "v1", "pods", "p", "default") is None
    with pytest.raises(ApiException) as err:
        core.delete_namespaced_pod("p", "default")
    assert err.value.status == 404


def test_namespace_deletion_removes_contents(core, fake_api):
    fake_api.add(pod("p", "doomed"))
    ns = core.delete_namespace("doomed")
    ns = ns if isinstance(ns, dict) else client.ApiClient().sanitize_for_serialization(ns)
    assert ns["status"]["phase"] == "Terminating"
    assert fake_api.objects("pods") == []
    assert "doomed" not in {n.metadata.name for n in core.list_namespace().items}


def test_method_not_allowed(fake_api):
    code, _, body = raw(fake_api, "PUT", "/api/v1/namespaces/default/configmaps", {})
    assert code == 405 and body["reason"] == "MethodNotAllowed"
    code, _, body = raw(fake_api, "POST", "/api/v1/namespaces/default/configmaps/x", {})
    assert code == 405


def test_dry_run_create_update_delete(core, fake_api):
    made = core.create_namespaced_config_map("default", {"metadata": {"name": "dry"}}, dry_run="All")
    assert made.metadata.name == "dry" and made.metadata.uid
    assert fake_api.get_object("", "v1", "configmaps", "dry", "default") is None
    core.create_namespaced_config_map("default", {"metadata": {"name": "real"}, "data": {"a": "1"}})
    core.replace_namespaced_config_map("real", "default", {"metadata": {"name": "real"}, "data": {"a": "2"}},
                                       dry_run="All")
    assert fake_api.get_object("", "v1", "configmaps", "real", "default")["data"] == {"a": "1"}
    core.delete_namespaced_config_map("real", "default", dry_run="All")
    assert fake_api.get_object("", "v1", "configmaps", "real", "default") is not None


def test_custom_resources_via_custom_objects_api(fake_api, custom):
    fake_api.add(ISTIO_CRD)
    vs = {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
          "metadata": {"name": "r"}, "spec": {"hosts": ["r"]}}
    custom.create_namespaced_custom_object("networking.istio.io", "v1", "default", "virtualservices", vs)
    got = custom.get_namespaced_custom_object("networking.istio.io", "v1beta1", "default",
                                              "virtualservices", "r")
    assert got["apiVersion"] == "networking.istio.io/v1beta1" and got["spec"] == {"hosts": ["r"]}
    listed = custom.list_cluster_custom_object("networking.istio.io", "v1", "virtualservices")
    assert listed["kind"] == "VirtualServiceList"
    assert listed["items"][0]["kind"] == "VirtualService"
    custom.delete_namespaced_custom_object("networking.istio.io", "v1", "default", "virtualservices", "r")
    assert fake_api.objects("virtualservices") == []


def test_builtin_list_items_carry_no_kind(fake_api):
    fake_api.add(pod("p"))
    _, headers, body = raw(fake_api, "GET", "/api/v1/pods")
    assert headers["Content-Type"] == "application/json"
    assert (body["kind"], body["apiVersion"]) == ("PodList", "v1")
    assert "kind" not in body["items"][0] and "apiVersion" not in body["items"][0]
    assert int(body["metadata"]["resourceVersion"]) >= int(body["items"][0]["metadata"]["resourceVersion"])


def test_dynamic_client_crud(fake_api, kube_api_client):
    dyn = DynamicClient(kube_api_client)
    cms = dyn.resources.get(api_version="v1", kind="ConfigMap")
    cms.create(body={"metadata": {"name": "d"}, "data": {"x": "1"}}, namespace="default")
    assert cms.get(name="d", namespace="default").data.x == "1"
    crbs = dyn.resources.get(api_version="rbac.authorization.k8s.io/v1", kind="ClusterRoleBinding")
    crbs.create(body={"metadata": {"name": "b"}, "roleRef": {"apiGroup": "rbac.authorization.k8s.io",
                                                               "kind": "ClusterRole", "name": "view"}})
    assert [i.metadata.name for i in crbs.get().items] == ["b"]


def test_load_yaml_multi_doc(fake_api, core):
    added = fake_api.load_yaml("""
apiVersion: v1
kind: Service
metadata: {name: svc, namespace: shop}
spec: {ports: [{port: 80}]}
---
apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: ConfigMap, metadata: {name: c1, namespace: shop}}
""")
    assert [o["kind"] for o in added] == ["Service", "ConfigMap"]
    assert core.read_namespaced_service("svc", "shop").spec.cluster_ip
    assert core.read_namespace("shop").status.phase == "Active"


def test_status_subresource(core, fake_api):
    fake_api.add(pod("p", phase="Pending"))
    core.patch_namespaced_pod_status("p", "default", {"status": {"phase": "Running"}})
    assert fake_api.get_object("", "v1", "pods", "p", "default")["status"]["phase"] == "Running"
    current = core.read_namespaced_pod("p", "default")
    current.status.phase = "Failed"
    current.metadata.labels = {"changed": "yes"}
    core.replace_namespaced_pod("p", "default", current)
    stored = fake_api.get_object("", "v1", "pods", "p", "default")
    assert stored["status"]["phase"] == "Running"
    assert stored["metadata"]["labels"] == {"changed": "yes"}
