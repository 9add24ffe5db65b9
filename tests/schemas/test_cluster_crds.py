"""Against a cluster: the cluster's own CRD schemas are used for the versions it serves."""

from __future__ import annotations

from collections import Counter

from meshctl.analysis.pipeline import AnalyzeRequest, analyze
from meshctl.resource import Resource
from meshctl.schemas.openapi import from_openapi

ANALYZER = "schema.ValidationAnalyzer.VirtualService"


def _crd(spec_schema: dict, versions: tuple[str, ...] = ("v1",)) -> Resource:
    root = {"type": "object", "properties": {"spec": spec_schema}}
    body = {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "virtualservices.networking.istio.io"},
        "spec": {
            "group": "networking.istio.io",
            "scope": "Namespaced",
            "names": {"kind": "VirtualService", "plural": "virtualservices"},
            "versions": [
                {"name": v, "served": True, "storage": v == versions[0], "schema": {"openAPIV3Schema": root}}
                for v in versions
            ],
        },
    }
    return Resource.from_dict(body)


def _vs(name: str, spec: dict, version: str = "v1") -> Resource:
    return Resource.from_dict(
        {
            "apiVersion": f"networking.istio.io/{version}",
            "kind": "VirtualService",
            "metadata": {"name": name, "namespace": "default"},
            "spec": spec,
        }
    )


def _run(*resources: Resource) -> Counter:
    result = analyze(AnalyzeRequest(analyzers=[ANALYZER]), extra=list(resources))
    return Counter((m.code, m.origin, m.path) for m in result.messages)


ROUTE = {"hosts": ["a"], "http": [{"route": [{"destination": {"host": "a"}}]}], "futureField": True}

CLUSTER_SCHEMA = {
    "type": "object",
    "properties": {
        "hosts": {"type": "array", "items": {"type": "string"}},
        "http": {"type": "array", "items": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}},
        "futureField": {"type": "boolean", "nullable": True},
    },
}


def test_without_crd_our_schema_flags_unknown_field() -> None:
    assert _run(_vs("a", ROUTE)) == Counter({("IST0106", "VirtualService default/a", "spec.futureField"): 1})


def test_cluster_crd_schema_replaces_ours() -> None:
    assert _run(_crd(CLUSTER_SCHEMA), _vs("a", ROUTE)) == Counter()
    bad = {**ROUTE, "hosts": "a", "other": 1}
    got = _run(_crd(CLUSTER_SCHEMA), _vs("b", bad))
    assert got == Counter(
        {
            ("IST0106", "VirtualService default/b", "spec.hosts"): 1,
            ("IST0106", "VirtualService default/b", "spec.other"): 1,
        }
    )


def test_version_not_served_by_cluster() -> None:
    got = _run(_crd(CLUSTER_SCHEMA, ("v1",)), _vs("c", ROUTE, "v1beta1"))
    assert ("IST0106", "VirtualService default/c", "apiVersion") in got


def test_from_openapi_conversion() -> None:
    schema = from_openapi(
        {
            "type": "object",
            "x-kubernetes-validations": [{"rule": "true"}],
            "properties": {
                "port": {"x-kubernetes-int-or-string": True},
                "name": {"type": "string", "nullable": True},
                "free": {
                    "type": "object",
                    "x-kubernetes-preserve-unknown-fields": True,
                    "properties": {"a": {"type": "string"}},
                },
            },
        }
    )
    assert schema["additionalProperties"] is False
    assert "x-kubernetes-validations" not in schema
    assert schema["properties"]["port"]["type"] == ["integer", "string"]
    assert schema["properties"]["name"]["type"] == ["string", "null"]
    assert "additionalProperties" not in schema["properties"]["free"]
