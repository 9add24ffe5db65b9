"""TLS, authentication, kubeconfig, /version and discovery, through the real client."""

from __future__ import annotations

import json
import ssl
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml
from kubernetes import client, config
from kubernetes.client.rest import ApiException
from kubernetes.dynamic import DynamicClient
from kubernetes.dynamic.exceptions import ResourceNotFoundError

from .conftest import ISTIO_CRD


def _raw_get(fake_api, path: str, token: str | None) -> tuple[int, dict, dict]:
    ctx = ssl.create_default_context(cafile=fake_api.ca_file)
    req = urllib.request.Request(fake_api.url + path)
    if token is not None:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, context=ctx, timeout=5) as resp:
            return resp.status, dict(resp.headers), json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), json.loads(err.read())


def test_kubeconfig_shape(fake_api):
    doc = yaml.safe_load(Path(fake_api.kubeconfig).read_text())
    assert doc["current-context"] == "fake"
    ctx = doc["contexts"][0]["context"]
    assert ctx["namespace"] == "default"
    cluster = doc["clusters"][0]["cluster"]
    assert cluster == {"server": fake_api.url, "certificate-authority": fake_api.ca_file}
    assert doc["users"][0]["user"] == {"token": fake_api.token}
    assert fake_api.url.startswith("https://127.0.0.1:")


def test_load_kube_config_and_version(fake_api):
    saved = client.Configuration.get_default_copy()
    try:
        config.load_kube_config(config_file=fake_api.kubeconfig)
        fake_api.set_version("v1.29.3-gke.100")
        info = client.VersionApi().get_code()
    finally:
        client.Configuration.set_default(saved)
    assert (info.major, info.minor, info.git_version) == ("1", "29+", "v1.29.3-gke.100")


def test_tls_rejects_unknown_ca(fake_api):
    with pytest.raises(urllib.error.URLError) as err:
        urllib.request.urlopen(fake_api.url + "/version", context=ssl.create_default_context(), timeout=5)
    assert isinstance(err.value.reason, ssl.SSLCertVerificationError)


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_unauthorized_status(fake_api, token):
    code, headers, body = _raw_get(fake_api, "/api/v1/namespaces", token)
    assert code == 401
    assert headers["Content-Type"] == "application/json"
    assert body == {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                    "message": "Unauthorized", "reason": "Unauthorized", "code": 401}


def test_wrong_token_through_client(fake_api, tmp_path):
    doc = yaml.safe_load(Path(fake_api.kubeconfig).read_text())
    doc["users"][0]["user"]["token"] = "nope"
    path = tmp_path / "kubeconfig"
    path.write_text(yaml.safe_dump(doc))
    api = client.CoreV1Api(config.new_client_from_config(config_file=str(path)))
    with pytest.raises(ApiException) as err:
        api.list_namespace()
    assert err.value.status == 401
    assert json.loads(err.value.body)["reason"] == "Unauthorized"


def test_version_is_public_but_not_with_bad_token(fake_api):
    assert _raw_get(fake_api, "/version", None)[0] == 200
    assert _raw_get(fake_api, "/version", "bad")[0] == 401


@pytest.mark.parametrize("path", ["/api", "/api/", "/apis", "/apis/", "/apis/apps", "/apis/apps/",
                                  "/api/v1", "/api/v1/", "/apis/apps/v1", "/apis/apps/v1/"])
def test_discovery_with_and_without_slash(fake_api, path):
    code, _, body = _raw_get(fake_api, path, fake_api.token)
    assert code == 200
    expected = {"/api": "APIVersions", "/apis": "APIGroupList", "/apis/apps": "APIGroup"}
    assert body["kind"] == expected.get(path.rstrip("/"), "APIResourceList")


def test_resource_list_entries(fake_api):
    _, _, core = _raw_get(fake_api, "/api/v1", fake_api.token)
    pods = next(r for r in core["resources"] if r["name"] == "pods")
    assert pods == {"name": "pods", "singularName": "pod", "namespaced": True, "kind": "Pod",
                    "verbs": pods["verbs"], "shortNames": ["po"]}
    assert {"list", "watch", "create"} <= set(pods["verbs"])
    assert any(r["name"] == "pods/log" for r in core["resources"])
    _, _, hpa = _raw_get(fake_api, "/apis/autoscaling/v2", fake_api.token)
    assert [r["kind"] for r in hpa["resources"] if "/" not in r["name"]] == ["HorizontalPodAutoscaler"]
    nodes = next(r for r in core["resources"] if r["name"] == "nodes")
    assert nodes["namespaced"] is False


def test_builtin_groups_served(fake_api):
    _, _, apis = _raw_get(fake_api, "/apis", fake_api.token)
    names = {g["name"] for g in apis["groups"]}
    assert {"apps", "batch", "policy", "autoscaling", "discovery.k8s.io", "rbac.authorization.k8s.io",
            "admissionregistration.k8s.io", "apiextensions.k8s.io", "authorization.k8s.io"} <= names
    assert "networking.istio.io" not in names
    code, _, body = _raw_get(fake_api, "/apis/networking.istio.io/v1", fake_api.token)
    assert code == 404 and body["reason"] == "NotFound"


def test_crd_lifecycle_in_discovery(fake_api, kube_api_client):
    dyn = DynamicClient(kube_api_client)
    with pytest.raises(ResourceNotFoundError):
        dyn.resources.get(api_version="networking.istio.io/v1", kind="VirtualService")
    ext = client.ApiextensionsV1Api(kube_api_client)
    created = ext.create_custom_resource_definition(ISTIO_CRD)
    conditions = {c.type: c.status for c in created.status.conditions}
    assert conditions == {"Established": "True", "NamesAccepted": "True"}
    vs = dyn.resources.get(api_version="networking.istio.io/v1", kind="VirtualService")
    assert vs.namespaced and vs.short_names == ["vs"]
    _, _, group = _raw_get(fake_api, "/apis/networking.istio.io", fake_api.token)
    assert [v["version"] for v in group["versions"]] == ["v1", "v1beta1"]
    ext.delete_custom_resource_definition(ISTIO_CRD["metadata"]["name"])
    code, _, _ = _raw_get(fake_api, "/apis/networking.istio.io/v1/virtualservices", fake_api.token)
    assert code == 404


def test_unknown_path_is_404_status(fake_api):
    code, _, body = _raw_get(fake_api, "/apis/apps/v1/nothings", fake_api.token)
    assert code == 404
    assert body["message"] == "the server could not find the requested resource"
