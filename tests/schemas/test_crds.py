"""CRD generation: valid CustomResourceDefinitions with structural schemas, deterministic output."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from meshctl.kinds import KINDS
from meshctl.schemas.crds import istio_crds
from meshctl.schemas.openapi import PRESERVE, crd_version_schema
from meshctl.schemas.registry import schema_kinds
from meshctl.schemas.validate import validate_spec

LABELS = {"app.kubernetes.io/managed-by": "meshctl", "istio.io/rev": "default"}
_JUNCTOR_FORBIDDEN = {
    "type",
    "properties",
    "additionalProperties",
    "items",
    "description",
    "default",
    "nullable",
    PRESERVE,
}


@pytest.fixture(scope="module")
def crds() -> list[dict[str, Any]]:
    return istio_crds(LABELS)


def test_one_crd_per_istio_kind(crds: list[dict]) -> None:
    names = {c["metadata"]["name"] for c in crds}
    assert names == {f"{KINDS[k].plural}.{KINDS[k].group}" for k in schema_kinds()}
    assert all(c["metadata"]["labels"] == LABELS for c in crds)


@pytest.mark.parametrize("version", ["1.28", "1.30"])
def test_crds_validate_against_kubernetes(crds: list[dict], version: str) -> None:
    import kubernetes_validate

    for crd in crds:
        kubernetes_validate.validate(crd, version, strict=True)


def test_versions_and_storage(crds: list[dict]) -> None:
    by_kind = {c["spec"]["names"]["kind"] + "/" + c["spec"]["group"]: c for c in crds}
    vs = by_kind["VirtualService/networking.istio.io"]["spec"]["versions"]
    assert [v["name"] for v in vs] == ["v1", "v1beta1", "v1alpha3"]
    assert [v["storage"] for v in vs] == [True, False, False]
    ef = by_kind["EnvoyFilter/networking.istio.io"]["spec"]["versions"]
    assert [(v["name"], v["storage"]) for v in ef] == [("v1alpha3", True)]
    for crd in crds:
        assert sum(v["storage"] for v in crd["spec"]["versions"]) == 1
        assert crd["spec"]["scope"] == "Namespaced"
        for version in crd["spec"]["versions"]:
            assert version["subresources"] == {"status": {}}
            status = version["schema"]["openAPIV3Schema"]["properties"]["status"]
            assert status == {"type": "object", PRESERVE: True}


def test_short_names(crds: list[dict]) -> None:
    short = {c["spec"]["names"]["kind"]: c["spec"]["names"].get("shortNames") for c in crds}
    assert short["VirtualService"] == ["vs"]
    assert short["DestinationRule"] == ["dr"]
    assert short["Gateway"] == ["gw"]
    assert short["ServiceEntry"] == ["se"]


def test_deterministic() -> None:
    first = yaml.safe_dump(istio_crds(LABELS), sort_keys=False)
    assert first == yaml.safe_dump(istio_crds(dict(reversed(list(LABELS.items())))), sort_keys=False)


def _walk(node: Any, path: str, in_junctor: bool = False) -> list[str]:
    """Structural-schema violations under ``node``."""
    problems: list[str] = []
    if not isinstance(node, dict):
        return problems
    if "$ref" in node or "$defs" in node:
        problems.append(f"{path}: $ref")
    if in_junctor:
        problems += [f"{path}: {k} inside a junctor" for k in _JUNCTOR_FORBIDDEN & set(node)]
    elif "type" not in node and not node.get(PRESERVE) and not node.get("x-kubernetes-int-or-string"):
        problems.append(f"{path}: no type")
    if node.get("additionalProperties") is False:
        problems.append(f"{path}: additionalProperties false")
    if "properties" in node and "additionalProperties" in node:
        problems.append(f"{path}: properties with additionalProperties")
    for key in ("oneOf", "anyOf", "allOf"):
        for i, sub in enumerate(node.get(key) or []):
            problems += _walk(sub, f"{path}.{key}[{i}]", True)
    if "not" in node:
        problems += _walk(node["not"], f"{path}.not", True)
    for name, sub in (node.get("properties") or {}).items():
        problems += _walk(sub, f"{path}.{name}", in_junctor)
    for key in ("items", "additionalProperties"):
        if isinstance(node.get(key), dict):
            problems += _walk(node[key], f"{path}.{key}", in_junctor)
    return problems


def test_schemas_are_structural(crds: list[dict]) -> None:
    for crd in crds:
        for version in crd["spec"]["versions"]:
            problems = _walk(version["schema"]["openAPIV3Schema"], crd["metadata"]["name"])
            assert not problems, problems[:5]


def test_generated_crd_schema_round_trips_for_validation(crds: list[dict]) -> None:
    vs_crd = next(c for c in crds if c["metadata"]["name"] == "virtualservices.networking.istio.io")
    schema = crd_version_schema(vs_crd, "v1beta1")
    assert schema is not None
    good = {
        "hosts": ["a"],
        "http": [{"match": [{"uri": {"prefix": "/"}}], "route": [{"destination": {"host": "a"}}]}],
    }
    assert validate_spec("VirtualService", good, schema) == []
    bad = json.loads(json.dumps(good))
    bad["http"][0]["route"][0]["destination"]["hostt"] = "b"
    bad["http"][0]["match"][0]["uri"]["exact"] = "/x"
    paths = {i.path for i in validate_spec("VirtualService", bad, schema)}
    assert paths == {"spec.http[0].route[0].destination.hostt", "spec.http[0].match[0].uri"}
