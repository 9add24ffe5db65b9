"""SelfSubjectAccessReview answers and 403 Forbidden from deny rules."""

from __future__ import annotations

import json

import pytest
from kubernetes import client
from kubernetes.client.rest import ApiException


def _review(kube_api_client, verb: str, resource: str, namespace: str = "", group: str = "") -> bool:
    api = client.AuthorizationV1Api(kube_api_client)
    body = {"spec": {"resourceAttributes": {"verb": verb, "resource": resource, "group": group,
                                            "namespace": namespace}}}
    return api.create_self_subject_access_review(body).status.allowed


def test_access_review_follows_deny_rules(fake_api, kube_api_client):
    assert _review(kube_api_client, "list", "pods", "default")
    fake_api.deny("list", "pods", namespace="default")
    fake_api.deny("*", "mutatingwebhookconfigurations", group="admissionregistration.k8s.io")
    assert not _review(kube_api_client, "list", "pods", "default")
    assert _review(kube_api_client, "list", "pods", "other")
    assert _review(kube_api_client, "get", "pods", "default")
    assert not _review(kube_api_client, "create", "mutatingwebhookconfigurations",
                       group="admissionregistration.k8s.io")
    fake_api.allow_all()
    assert _review(kube_api_client, "list", "pods", "default")


def test_forbidden_namespaced_list(fake_api, core):
    fake_api.deny("list", "pods", namespace="default")
    with pytest.raises(ApiException) as err:
        core.list_namespaced_pod("default")
    body = json.loads(err.value.body)
    assert err.value.status == 403 and body["reason"] == "Forbidden"
    assert body["message"] == ('pods is forbidden: User "test" cannot list resource "pods" in API group "" '
                               'in the namespace "default"')
    core.list_namespaced_pod("kube-system")


def test_forbidden_cluster_scope_and_named(fake_api, core, apps):
    fake_api.deny("list", "nodes")
    fake_api.deny("get", "deployments", group="apps")
    with pytest.raises(ApiException) as err:
        core.list_node()
    assert json.loads(err.value.body)["message"].endswith('in API group "" at the cluster scope')
    with pytest.raises(ApiException) as err:
        apps.read_namespaced_deployment("web", "default")
    assert json.loads(err.value.body)["message"].startswith('deployments.apps "web" is forbidden')


def test_cluster_wide_deny_covers_all_namespaces_list(fake_api, core):
    fake_api.deny("list", "pods")
    with pytest.raises(ApiException) as err:
        core.list_pod_for_all_namespaces()
    assert err.value.status == 403
