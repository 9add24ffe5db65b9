"""Schema loading, version coverage, path reporting and unknown fields."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from meshctl.kinds import KINDS, is_istio_kind
from meshctl.schemas.registry import (
    schema_kinds,
    served_versions,
    spec_schema,
    storage_version,
)
from meshctl.schemas.validate import validate_resource, validate_spec

ISTIO = sorted(k for k in KINDS if is_istio_kind(k))


def _vs(http: list, api: str = "networking.istio.io/v1") -> dict:
    return {
        "apiVersion": api,
        "kind": "VirtualService",
        "metadata": {"name": "x"},
        "spec": {"hosts": ["web"], "http": http},
    }


def _codes_paths(issues: list) -> set[tuple[str, str]]:
    return {(i.code, i.path) for i in issues}


def test_every_istio_kind_has_a_schema() -> None:
    assert list(schema_kinds()) == ISTIO


def test_served_versions_cover_istio_api() -> None:
    assert served_versions("VirtualService") == ("v1", "v1beta1", "v1alpha3")
    assert served_versions("PeerAuthentication") == ("v1", "v1beta1")
    assert served_versions("Telemetry") == ("v1", "v1alpha1")
    assert served_versions("EnvoyFilter") == ("v1alpha3",)
    assert served_versions("ProxyConfig") == ("v1beta1",)
    assert served_versions("WasmPlugin") == ("v1alpha1",)
    assert storage_version("Gateway") == "v1"
    assert storage_version("EnvoyFilter") == "v1alpha3"


@pytest.mark.parametrize("kind", ISTIO)
def test_schema_is_valid_draft_2020_12(kind: str) -> None:
    from jsonschema import Draft202012Validator

    for version in served_versions(kind):
        Draft202012Validator.check_schema(spec_schema(kind, version))
    assert "x-meshctl" not in json.dumps(spec_schema(kind))


def test_unknown_version_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        spec_schema("EnvoyFilter", "v1")


def test_weight_path_is_reported() -> None:
    # Weights are relative in Istio's API (120 is fine); a negative weight is not.
    ok = validate_resource(_vs([{"route": [{"destination": {"host": "a"}, "weight": 120}]}]), "VirtualService")
    assert ok == []
    issues = validate_resource(
        _vs([{"route": [{"destination": {"host": "a"}, "weight": -1}]}]), "VirtualService"
    )
    assert _codes_paths(issues) == {("IST0106", "spec.http[0].route[0].weight")}
    assert "spec.http[0].route[0].weight" in str(issues[0].params["field"])


def test_weights_of_several_destinations_cannot_all_be_zero() -> None:
    route = [{"destination": {"host": "a"}, "weight": 0}, {"destination": {"host": "b"}, "weight": 0}]
    assert _codes_paths(validate_spec("VirtualService", {"hosts": ["a"], "http": [{"route": route}]})) == {
        ("IST0106", "spec.http[0].route")}


def test_unknown_fields_each_reported_with_path() -> None:
    spec = {"hosts": ["a"], "htp": [], "http": [{"route": [{"destination": {"host": "a", "subst": "v1"}}]}]}
    paths = {i.path for i in validate_spec("VirtualService", spec)}
    assert {"spec.htp", "spec.http[0].route[0].destination.subst"} <= paths


def test_string_match_allows_one_kind() -> None:
    base = [{"match": [{"uri": {"exact": "/a", "regex": ".*"}}], "route": [{"destination": {"host": "a"}}]}]
    issues = validate_resource(_vs(base), "VirtualService")
    assert _codes_paths(issues) == {("IST0106", "spec.http[0].match[0].uri")}
    base[0]["match"][0]["uri"] = {"regex": ".*"}
    assert validate_resource(_vs(base), "VirtualService") == []


@pytest.mark.parametrize(
    ("kind", "spec", "path"),
    [
        ("PeerAuthentication", {"mtls": {"mode": "ON"}}, "spec.mtls.mode"),
        ("AuthorizationPolicy", {"action": "ALLOWED"}, "spec.action"),
        (
            "DestinationRule",
            {"host": "a", "trafficPolicy": {"tls": {"mode": "STRICT"}}},
            "spec.trafficPolicy.tls.mode",
        ),
        (
            "Gateway",
            {
                "servers": [
                    {
                        "port": {"number": 443, "protocol": "HTTPS", "name": "h"},
                        "hosts": ["a"],
                        "tls": {"mode": "MUTUAL_TLS"},
                    }
                ]
            },
            "spec.servers[0].tls.mode",
        ),
    ],
)
def test_enums_are_checked(kind: str, spec: dict, path: str) -> None:
    assert path in {i.path for i in validate_spec(kind, spec)}


@pytest.mark.parametrize("mode", ["UNSET", "DISABLE", "PERMISSIVE", "STRICT"])
def test_peer_authentication_modes_accepted(mode: str) -> None:
    assert validate_spec("PeerAuthentication", {"mtls": {"mode": mode}}) == []


def test_wrong_version_for_known_kind() -> None:
    issues = validate_resource(
        _vs([{"route": [{"destination": {"host": "a"}}]}], "networking.istio.io/v9"), "VirtualService"
    )
    assert _codes_paths(issues) == {("IST0106", "apiVersion")}
    for version in ("v1", "v1beta1", "v1alpha3"):
        ok = _vs([{"route": [{"destination": {"host": "a"}}]}], f"networking.istio.io/{version}")
        assert validate_resource(ok, "VirtualService") == []


def test_rules_schemas_cannot_express() -> None:
    assert ("IST0106", "spec.host") in _codes_paths(validate_spec("DestinationRule", {}))
    assert ("IST0106", "spec.host") in _codes_paths(validate_spec("DestinationRule", {"host": ""}))
    assert ("IST0106", "spec.hosts") in _codes_paths(validate_spec("ServiceEntry", {"resolution": "DNS"}))
    assert ("IST0106", "spec") in _codes_paths(validate_spec("VirtualService", {"hosts": ["a"]}))
    gw = {"servers": [{"port": {"number": 80, "protocol": "HTTP", "name": "h"}}]}
    assert ("IST0106", "spec.servers[0].hosts") in _codes_paths(validate_spec("Gateway", gw))


def test_non_object_spec() -> None:
    assert ("IST0106", "spec") in _codes_paths(validate_spec("Sidecar", ["not", "an", "object"]))


def test_fast_check_agrees_with_jsonschema() -> None:
    from jsonschema import Draft202012Validator

    from meshctl.schemas.validate import our_validator

    samples = [
        {"hosts": ["a"], "http": [{"route": [{"destination": {"host": "a"}, "weight": 5}]}]},
        {"hosts": ["a"], "http": [{"route": [{"destination": {"host": "a"}, "weight": 5.0}]}]},
        {"hosts": ["a"], "http": [{"route": [{"destination": {"host": "a"}, "weight": True}]}]},
        {"hosts": ["a"], "http": [{"match": [{"uri": {}}], "route": [{"destination": {"host": "a"}}]}]},
        {"hosts": ["a"], "http": [{"timeout": "1h2m3.5s", "route": [{"destination": {"host": "a"}}]}]},
        {"hosts": ["a"], "http": [{"timeout": "5", "route": [{"destination": {"host": "a"}}]}]},
        {"hosts": "a"},
    ]
    checker = our_validator("VirtualService")
    full = Draft202012Validator(spec_schema("VirtualService"))
    for spec in samples:
        assert checker.fast is not None
        assert checker.fast(spec) == full.is_valid(spec), spec


def test_cli_import_does_not_load_jsonschema() -> None:
    code = "import sys, meshctl.cli.app; print('jsonschema' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_valid_resources_do_not_load_jsonschema() -> None:
    code = (
        "import sys; from meshctl.schemas.validate import validate_spec; "
        "validate_spec('Gateway', {'servers': [{'port': {'number': 80, 'protocol': 'HTTP', 'name': 'h'},"
        " 'hosts': ['*']}]}); print('jsonschema' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
