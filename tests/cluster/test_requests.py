"""Pure request building: paths, selectors, query strings, bodies."""

from __future__ import annotations

from meshctl.cluster import requests as rq
from meshctl.cluster.failures import action_of, status_error

PODS = rq.Target("", "v1", "pods")
VS = rq.Target("networking.istio.io", "v1", "virtualservices")
NODES = rq.Target("", "v1", "nodes", namespaced=False)


def test_paths() -> None:
    assert rq.resource_path(PODS) == "/api/v1/pods"
    assert rq.resource_path(PODS, "default", "web-1") == "/api/v1/namespaces/default/pods/web-1"
    assert rq.resource_path(VS, "a b") == "/apis/networking.istio.io/v1/namespaces/a%20b/virtualservices"
    assert rq.resource_path(NODES, "ignored", "n1") == "/api/v1/nodes/n1"
    assert rq.resource_path(PODS, "ns", "p", "portforward") == "/api/v1/namespaces/ns/pods/p/portforward"


def test_selectors() -> None:
    assert rq.selector_string({"app": "web", "tier": "fe"}) == "app=web,tier=fe"
    assert rq.selector_string("app in (a,b),!legacy") == "app in (a,b),!legacy"
    assert rq.selector_string({}) is None
    assert rq.selector_string(None) is None


def test_list_request_query() -> None:
    req = rq.list_request(PODS, "ns", {"app": "web"}, "status.phase=Running", "tok")
    assert req.query == (("limit", "500"), ("labelSelector", "app=web"),
                         ("fieldSelector", "status.phase=Running"), ("continue", "tok"))
    assert req.method == "GET" and req.idempotent


def test_writes() -> None:
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}
    create = rq.create_request(rq.Target("", "v1", "configmaps"), obj, "ns", dry_run=True)
    assert (create.method, create.idempotent, create.query) == ("POST", False, (("dryRun", "All"),))
    apply = rq.apply_request(rq.Target("", "v1", "configmaps"), obj, "ns")
    assert apply.path == "/api/v1/namespaces/ns/configmaps/c"
    assert apply.query == (("fieldManager", "meshctl"), ("force", "true"))
    assert apply.content_type == rq.APPLY_PATCH and apply.idempotent
    patch = rq.patch_request(PODS, "p", {"metadata": {}}, rq.MERGE_PATCH, "ns")
    assert not patch.idempotent
    assert rq.delete_request(PODS, "p", "ns", True).query == (("dryRun", "All"),)


def test_access_review_body() -> None:
    req = rq.access_review_request("list", "pods", namespace="default")
    assert req.body["spec"]["resourceAttributes"] == {"verb": "list", "resource": "pods", "group": "",
                                                      "namespace": "default"}


def test_action_and_forbidden_sentence() -> None:
    req = rq.list_request(PODS, "default")
    assert status_error(req, 403).args[0] == (
        "permission denied: cannot list pods in namespace default (403 Forbidden)")
    action = action_of(rq.get_request(VS, "r", "prod"))
    assert (action.verb, action.resource, action.namespace, action.name) == (
        "get", "virtualservices.networking.istio.io", "prod", "r")
    assert "at the cluster scope" in str(status_error(rq.list_request(NODES), 403))
    assert "patch" in str(status_error(rq.patch_request(PODS, "p", {}, rq.MERGE_PATCH, "n"), 401))


def test_unauthorized_names_the_resource_and_namespace() -> None:
    assert str(status_error(rq.list_request(PODS, "default"), 401)) == (
        "unauthorized (401): the credentials in the kubeconfig were rejected while listing pods "
        "in namespace default")
    assert str(status_error(rq.list_request(NODES), 401)).endswith("while listing nodes at the cluster scope")
    assert str(status_error(rq.get_request(VS, "r", "prod"), 401)).endswith(
        "while getting virtualservices.networking.istio.io r in namespace prod")
    assert str(status_error(rq.patch_request(PODS, "p", {}, rq.MERGE_PATCH, "n"), 401)).endswith(
        "while patching pods p in namespace n")
    # Paths that name no resource (discovery, /version) are named by their path, never as an empty list.
    version = str(status_error(rq.ApiRequest("GET", "/version"), 401))
    assert version.endswith("while getting /version") and "  " not in version
    assert action_of(rq.get_request(rq.Target("", "v1", "namespaces", False), "foo")).resource == "namespaces"


def test_describe_never_includes_body() -> None:
    secret = {"kind": "Secret", "data": {"tls.key": "c2VjcmV0"}, "metadata": {"name": "s"}}
    req = rq.create_request(rq.Target("", "v1", "secrets"), secret, "ns")
    assert "c2VjcmV0" not in req.describe()
