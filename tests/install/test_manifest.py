"""Manifest generation: contents per profile, labels, determinism, Kubernetes schema validity."""

from __future__ import annotations

import json

import pytest
import yaml

from meshctl import ISTIO_VERSION
from meshctl.install.config import build_config
from meshctl.install.manifest import PHASES, build, identity, render, sort_key

PROFILES = ("default", "demo", "minimal", "empty", "ambient", "remote")


def _newest() -> str:
    import kubernetes_validate.utils as kvu

    return ".".join(str(kvu.latest_version()).split(".")[:2])


K8S_VERSIONS = ("1.29", "1.30", "1.31", _newest())


def _objects(profile: str = "default", **kw: object) -> list[dict]:
    return build(build_config(profile, **kw))  # type: ignore[arg-type]


def _find(objs: list[dict], kind: str, name: str) -> dict:
    return next(o for o in objs if o["kind"] == kind and o["metadata"]["name"] == name)


def _kinds(objs: list[dict]) -> set[tuple[str, str]]:
    return {(o["kind"], o["metadata"]["name"]) for o in objs}


def _all_distinct_objects() -> list[dict]:
    """Every object of every profile (default and a named revision), each distinct object once."""
    seen: dict[str, dict] = {}
    for profile in PROFILES:
        for obj in _objects(profile) + _objects(profile, revision="canary"):
            seen.setdefault(json.dumps(obj, sort_keys=True), obj)
    return list(seen.values())


@pytest.mark.parametrize("version", K8S_VERSIONS)
def test_every_object_of_every_profile_validates(version: str) -> None:
    import kubernetes_validate

    objects = _all_distinct_objects()
    kinds = {o["kind"] for o in objects}
    assert {"DaemonSet", "HorizontalPodAutoscaler", "ValidatingWebhookConfiguration"} <= kinds
    for obj in objects:
        kubernetes_validate.validate(obj, version, strict=True)


@pytest.mark.parametrize("profile", PROFILES)
def test_every_object_labelled_and_ordered(profile: str) -> None:
    objs = _objects(profile, revision="canary")
    for obj in objs:
        labels = obj["metadata"]["labels"]
        assert labels["app.kubernetes.io/managed-by"] == "meshctl"
        assert labels["install.meshctl.io/revision"] == "canary"
    assert objs == sorted(objs, key=sort_key)
    assert len({identity(o) for o in objs}) == len(objs)


def test_empty_profile_installs_nothing() -> None:
    assert _objects("empty") == []


def test_deterministic_bytes() -> None:
    for fmt in ("yaml", "json"):
        first = render(_objects("demo", sets=["values.pilot.env.FOO=bar"]), fmt)
        assert first == render(_objects("demo", sets=["values.pilot.env.FOO=bar"]), fmt)
    docs = [d for d in yaml.safe_load_all(render(_objects(), "yaml")) if d]
    assert docs == _objects()
    assert json.loads(render(_objects(), "json"))["items"] == _objects()


def test_default_profile_contents() -> None:
    objs = _objects()
    names = _kinds(objs)
    assert ("Namespace", "istio-system") in names
    assert sum(1 for o in objs if o["kind"] == "CustomResourceDefinition") >= 14
    assert ("CustomResourceDefinition", "virtualservices.networking.istio.io") in names
    for kind, name in [("Deployment", "istiod"), ("Service", "istiod"), ("PodDisruptionBudget", "istiod"),
                       ("HorizontalPodAutoscaler", "istiod"), ("ConfigMap", "istio"),
                       ("ConfigMap", "istio-sidecar-injector"),
                       ("MutatingWebhookConfiguration", "istio-sidecar-injector"),
                       ("ValidatingWebhookConfiguration", "istio-validator-istio-system"),
                       ("ServiceAccount", "istiod"), ("ClusterRole", "istiod-clusterrole-istio-system"),
                       ("Role", "istiod-role"), ("Deployment", "istio-ingressgateway"),
                       ("Service", "istio-ingressgateway"), ("Role", "istio-ingressgateway-sds")]:
        assert (kind, name) in names, (kind, name)
    assert ("Deployment", "istio-egressgateway") not in names
    assert not any(o["kind"] == "DaemonSet" for o in objs)
    istiod = _find(objs, "Deployment", "istiod")
    assert istiod["spec"]["template"]["spec"]["containers"][0]["image"] == f"docker.io/istio/pilot:{ISTIO_VERSION}"
    ports = {(p["port"], p["targetPort"]) for p in _find(objs, "Service", "istiod")["spec"]["ports"]}
    assert ports == {(15010, 15010), (15012, 15012), (443, 15017), (15014, 15014)}
    assert "pod-security.kubernetes.io/enforce" not in _find(objs, "Namespace", "istio-system")["metadata"]["labels"]


def test_phases_order() -> None:
    order = [o["kind"] for o in _objects("demo")]
    first = {k: order.index(k) for k in set(order)}
    assert first["Namespace"] < first["CustomResourceDefinition"] < first["ServiceAccount"] < first["ConfigMap"]
    assert first["ConfigMap"] < first["MutatingWebhookConfiguration"] < first["Deployment"]
    assert [p for p, _ in PHASES] == ["namespaces", "crds", "rbac", "config", "webhooks", "workloads"]


def test_hub_tag_override_reaches_images_and_injector_values() -> None:
    objs = _objects("demo", sets=["hub=quay.io/me", "tag=1.99.0"])
    images = {c["image"] for o in objs if o["kind"] == "Deployment"
              for c in o["spec"]["template"]["spec"]["containers"]}
    assert images == {"quay.io/me/pilot:1.99.0", "quay.io/me/proxyv2:1.99.0"}
    values = json.loads(_find(objs, "ConfigMap", "istio-sidecar-injector")["data"]["values"])
    assert values["global"]["hub"] == "quay.io/me" and values["global"]["tag"] == "1.99.0"
    assert values["global"]["proxy"]["image"] == "proxyv2"


def test_mesh_config_carries_proxy_metadata() -> None:
    objs = _objects(sets=["meshConfig.defaultConfig.proxyMetadata.FOO=bar", "meshConfig.accessLogFile=/dev/stdout"])
    mesh = yaml.safe_load(_find(objs, "ConfigMap", "istio")["data"]["mesh"])
    assert mesh["defaultConfig"]["proxyMetadata"] == {"FOO": "bar"}
    assert mesh["defaultConfig"]["discoveryAddress"] == "istiod.istio-system.svc:15012"
    assert mesh["accessLogFile"] == "/dev/stdout"
    config = yaml.safe_load(_find(objs, "ConfigMap", "istio-sidecar-injector")["data"]["config"])
    assert config["policy"] == "enabled"


def test_demo_has_egress_and_no_hpa() -> None:
    names = _kinds(_objects("demo"))
    assert ("Deployment", "istio-egressgateway") in names
    assert ("HorizontalPodAutoscaler", "istiod") not in names


def test_ambient_has_cni_and_ztunnel_and_privileged_namespace() -> None:
    objs = _objects("ambient")
    names = _kinds(objs)
    assert {("DaemonSet", "istio-cni-node"), ("DaemonSet", "ztunnel")} <= names
    assert ("Deployment", "istio-ingressgateway") not in names
    ns = _find(objs, "Namespace", "istio-system")
    assert ns["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "privileged"
    mesh = yaml.safe_load(_find(objs, "ConfigMap", "istio")["data"]["mesh"])
    assert mesh["defaultConfig"]["proxyMetadata"]["ISTIO_META_ENABLE_HBONE"] == "true"


def test_cni_alone_when_enabled() -> None:
    names = _kinds(_objects("minimal", sets=["components.cni.enabled=true"]))
    assert ("DaemonSet", "istio-cni-node") in names and ("DaemonSet", "ztunnel") not in names


def test_remote_has_no_istiod_deployment() -> None:
    objs = _objects("remote", sets=["values.istiodRemote.injectionURL=https://istiod.example:15017/inject"])
    names = _kinds(objs)
    assert ("Deployment", "istiod") not in names and ("Service", "istiod") in names
    hook = _find(objs, "MutatingWebhookConfiguration", "istio-sidecar-injector")["webhooks"][0]
    assert hook["clientConfig"] == {"url": "https://istiod.example:15017/inject"}


def test_injector_selectors_default_revision() -> None:
    hooks = _find(_objects(), "MutatingWebhookConfiguration", "istio-sidecar-injector")["webhooks"]
    by_name = {h["name"]: h for h in hooks}
    ns = by_name["namespace.sidecar-injector.istio.io"]["namespaceSelector"]["matchExpressions"]
    assert ns == [{"key": "istio-injection", "operator": "In", "values": ["enabled"]}]
    rev = by_name["rev.namespace.sidecar-injector.istio.io"]["namespaceSelector"]["matchExpressions"]
    assert {"key": "istio.io/rev", "operator": "In", "values": ["default"]} in rev


def test_revision_names_and_selectors() -> None:
    objs = _objects("minimal", revision="canary")
    names = _kinds(objs)
    assert {("Deployment", "istiod-canary"), ("ConfigMap", "istio-canary"),
            ("MutatingWebhookConfiguration", "istio-sidecar-injector-canary"),
            ("ValidatingWebhookConfiguration", "istio-validator-canary-istio-system")} <= names
    hooks = _find(objs, "MutatingWebhookConfiguration", "istio-sidecar-injector-canary")["webhooks"]
    assert all(h["clientConfig"]["service"]["name"] == "istiod-canary" for h in hooks)
    ns = hooks[0]["namespaceSelector"]["matchExpressions"]
    assert {"key": "istio.io/rev", "operator": "In", "values": ["canary"]} in ns
    istiod = _find(objs, "Deployment", "istiod-canary")
    assert istiod["metadata"]["labels"]["istio.io/rev"] == "canary"
