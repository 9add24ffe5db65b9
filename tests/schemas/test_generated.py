"""The schemas generated from Istio's published CRDs: fresh, complete, and the checks beyond them."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from meshctl.kinds import KINDS, is_istio_kind
from meshctl.schemas import generate
from meshctl.schemas.registry import generated_kinds, schema_kinds
from meshctl.schemas.validate import our_validator, schema_issues, validate_resource, validate_spec
from meshctl.schemas.values import duration_ns, value_issues
from tests.conftest import SHARED_ISTIO

CRD_FILE = SHARED_ISTIO / "charts" / "base" / "files" / "crd-all.gen.yaml"
needs_crds = pytest.mark.skipif(not CRD_FILE.is_file(), reason="Istio's crd-all.gen.yaml not available")
_BY_GROUP_KIND = {(i.group, i.kind): key for key, i in KINDS.items()}


def _istio_crds() -> list[dict[str, Any]]:
    if not CRD_FILE.is_file():
        return []
    with open(CRD_FILE, "rb") as stream:
        docs = list(yaml.load_all(stream, Loader=yaml.CSafeLoader))
    return [d for d in docs if d and d.get("kind") == "CustomResourceDefinition"]


# ---- a sample value for every field path of an upstream CRD schema -------------------------------

_STRINGS = ("a", "", "a.b", "0" * 64, "1s", "http://a", "a=b")


def _string(schema: dict[str, Any]) -> str:
    if schema.get("enum"):
        return str(schema["enum"][-1])
    rules = _rules(schema)
    if "self.size() == 0" in rules:
        return ""
    choices = re.search(r'self in \[([^]]*)\]', rules)
    if choices:
        return re.findall(r'"([^"]*)"', choices.group(1))[-1]
    if "duration(" in rules:
        return "1s"
    if "url(" in rules or "isURL" in rules:
        return "https://a.example"
    pattern = schema.get("pattern")
    for candidate in _STRINGS:
        if (pattern is None or re.search(pattern, candidate)) and len(candidate) >= schema.get("minLength", 0):
            return candidate
    raise AssertionError(f"no sample string for {schema}")


def _rules(schema: dict[str, Any]) -> str:
    return " ".join(r.get("rule", "") for r in schema.get("x-kubernetes-validations") or [])


def _minimal(schema: dict[str, Any]) -> Any:
    """A small valid value: required properties filled (and the first of "one of these is
    required" CEL alternatives), nothing else."""
    kind = schema.get("type")
    if schema.get("x-kubernetes-int-or-string"):
        return 1
    if kind == "object":
        needed = list(schema.get("required") or [])
        either = re.match(r"^has\(self\.(\w+)\) \|\|", _rules(schema))
        if either:
            needed.append(either.group(1))
        out = {name: _minimal(schema["properties"][name]) for name in needed}
        for _ in range(schema.get("minProperties", 0) - len(out)):
            out[f"k{len(out)}"] = _minimal(schema.get("additionalProperties") or {"type": "string"})
        return out
    if kind == "array":
        return [_minimal(schema.get("items") or {})] * max(schema.get("minItems", 0), 1)
    if kind == "string":
        return _string(schema)
    if kind == "integer":
        return max(schema.get("minimum", 1), 1) if schema.get("maximum", 2) >= 1 else schema["maximum"]
    if kind == "number":
        return max(schema.get("minimum", 1), 1)
    if kind == "boolean":
        return True
    return "a"


def _paths(schema: dict[str, Any], prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """(field path, a value of the enclosing spec that sets exactly that path) for every field."""
    for name, sub in (schema.get("properties") or {}).items():
        path = (*prefix, name)
        yield path, sub
        for deeper, leaf in _paths(sub, path):
            yield deeper, leaf
        items = sub.get("items")
        if isinstance(items, dict):
            for deeper, leaf in _paths(items, (*path, "[]")):
                yield deeper, leaf
        values = sub.get("additionalProperties")
        if isinstance(values, dict):
            for deeper, leaf in _paths(values, (*path, "{}")):
                yield deeper, leaf


def _with_path(schema: dict[str, Any], path: tuple[str, ...]) -> Any:
    """A minimal value of ``schema`` in which ``path`` (properties, ``[]`` items, ``{}`` values) is set."""
    if not path:
        return _minimal(schema)
    head, rest = path[0], path[1:]
    if head == "[]":
        return [_with_path(schema["items"], rest)]
    if head == "{}":
        return {"key": _with_path(schema["additionalProperties"], rest)}
    out = _minimal(schema)
    sub = schema["properties"][head]
    out[head] = _with_path(sub, rest) if not rest or rest[0] not in ("[]", "{}") else _container(sub, rest)
    return out


def _container(schema: dict[str, Any], rest: tuple[str, ...]) -> Any:
    if rest[0] == "[]":
        return [_with_path(schema["items"], rest[1:])]
    return {"key": _with_path(schema["additionalProperties"], rest[1:])}


def _field_cases() -> Iterator[Any]:
    for crd in _istio_crds():
        key = _BY_GROUP_KIND.get((crd["spec"]["group"], crd["spec"]["names"]["kind"]))
        if key is None or not is_istio_kind(key):
            continue
        for version in crd["spec"]["versions"]:
            spec = version["schema"]["openAPIV3Schema"]["properties"]["spec"]
            yield pytest.param(key, version["name"], spec, id=f"{key}-{version['name']}")


def _spec_with(spec_schema: dict[str, Any], path: tuple[str, ...]) -> Any:
    head, rest = path[0], path[1:]
    base = _minimal(spec_schema)
    sub = spec_schema["properties"][head]
    base[head] = _container(sub, rest) if rest and rest[0] in ("[]", "{}") else _with_path(sub, rest)
    return base


@needs_crds
@pytest.mark.parametrize(("kind", "version", "spec_schema"), list(_field_cases()))
def test_every_field_path_of_istio_crds_is_accepted(kind: str, version: str, spec_schema: dict) -> None:
    from meshctl.schemas.registry import openapi_spec_schema

    validator = our_validator(kind, version)
    generated = openapi_spec_schema(kind, version)
    walked = 0
    for path, _leaf in _paths(spec_schema):
        spec = _spec_with(spec_schema, path)
        problems = schema_issues(validator, spec) + value_issues(generated, spec)
        assert not problems, (".".join(path), spec, [(i.path, i.detail) for i in problems])
        walked += 1
    assert walked > 0
    # and the schema is not vacuous: an unknown field is still an error
    assert schema_issues(validator, {**_minimal(spec_schema), "notAnIstioField": 1})


@needs_crds
def test_generated_data_is_fresh() -> None:
    assert generate.stale(generate.outputs([CRD_FILE])) == []


@needs_crds
def test_generator_check_mode(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "meshctl.schemas.generate", "--check", str(CRD_FILE)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    # a changed CRD makes the data stale
    changed = tmp_path / "crds.yaml"
    crds = _istio_crds()
    crds[0]["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]["properties"]["zzz"] = {
        "type": "string"}
    changed.write_text(yaml.safe_dump_all(crds))
    assert generate.stale(generate.outputs([changed]))


def test_generated_data_keeps_no_prose() -> None:
    for path in generate.DATA_DIR.glob("*.json"):
        text = path.read_text()
        assert '"description"' not in text and "x-kubernetes-validations" not in text, path


def test_every_istio_kind_has_generated_data() -> None:
    istio = sorted(k for k in KINDS if is_istio_kind(k))
    assert list(schema_kinds()) == istio
    assert "VirtualService" in generated_kinds()["networking.istio.io"]


@pytest.mark.parametrize(("kind", "spec"), [
    ("DestinationRule", {"host": "a", "trafficPolicy": {"retryBudget": {"percent": 20, "minRetryConcurrency": 3}}}),
    ("VirtualService", {"hosts": ["a"], "http": [{"route": [{"destination": {"host": "a"}}],
                                                   "mirror": {"host": "b"}, "mirror_percent": 5}]}),
    ("Gateway", {"servers": [{"port": {"number": 443, "name": "https", "protocol": "HTTPS"}, "hosts": ["a"],
                              "tls": {"mode": "SIMPLE", "credentialName": "c", "caCertCredentialName": "ca"}}]}),
    ("RequestAuthentication", {"jwtRules": [{"issuer": "i", "jwks_uri": "https://i.example/jwks",
                                             "spaceDelimitedClaims": ["scope"]}]}),
])
def test_fields_the_hand_written_schemas_missed(kind: str, spec: dict) -> None:
    assert validate_spec(kind, spec) == []


def _vs(http: list) -> dict:
    return {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
            "metadata": {"name": "x", "namespace": "default"}, "spec": {"hosts": ["web"], "http": http}}


ROUTE = [{"destination": {"host": "web"}}]


@pytest.mark.parametrize(("route", "path"), [
    ({"match": [{"uri": {"regex": "(("}}]}, "spec.http[0].match[0].uri.regex"),
    ({"match": [{"authority": {"regex": "[a"}}]}, "spec.http[0].match[0].authority.regex"),
    ({"match": [{"headers": {"x-user": {"regex": "a**"}}}]}, "spec.http[0].match[0].headers.x-user.regex"),
    ({"match": [{"queryParams": {"q": {"regex": "(?P<x"}}}]}, "spec.http[0].match[0].queryParams.q.regex"),
    ({"match": [{"withoutHeaders": {"h": {"regex": "\\"}}}]}, "spec.http[0].match[0].withoutHeaders.h.regex"),
    ({"match": [{"uri": {"prefix": "/"}}], "rewrite": {"uriRegexRewrite": {"match": "(", "rewrite": "/"}}},
     "spec.http[0].rewrite.uriRegexRewrite.match"),
    ({"corsPolicy": {"allowOrigins": [{"regex": "*.example.com"}]}}, "spec.http[0].corsPolicy.allowOrigins[0].regex"),
    # RE2 has no backreferences or lookarounds, which Python's re accepts
    ({"match": [{"uri": {"regex": "(a)\\1"}}]}, "spec.http[0].match[0].uri.regex"),
    ({"match": [{"uri": {"regex": "/(?!admin)"}}]}, "spec.http[0].match[0].uri.regex"),
])
def test_re2_invalid_regexes_are_errors(route: dict, path: str) -> None:
    issues = validate_resource(_vs([{**route, "route": ROUTE}]), "VirtualService")
    assert {(i.code, i.path) for i in issues} == {("IST0106", path)}
    assert "RE2" in issues[0].detail


def test_valid_re2_regexes_pass() -> None:
    route = {"match": [{"uri": {"regex": "/api/v[0-9]+/.*"}, "headers": {"x": {"regex": "^(a|b)$"}}}],
             "rewrite": {"uriRegexRewrite": {"match": "^/api(/|$)(.*)", "rewrite": "/\\2"}}, "route": ROUTE}
    assert validate_resource(_vs([route]), "VirtualService") == []


def test_re2_is_imported_only_for_regexes() -> None:
    code = ("import sys; from meshctl.schemas.validate import validate_spec; "
            "validate_spec('VirtualService', {'hosts': ['a'], 'http': [{'route': [{'destination': {'host': 'a'}}]}]});"
            " print('re2' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_regex_error_does_not_write_to_stderr(run_cli, tmp_path: Path) -> None:
    manifest = tmp_path / "vs.yaml"
    manifest.write_text(yaml.safe_dump(_vs([{"match": [{"uri": {"regex": "(("}}], "route": ROUTE}])))
    res = run_cli("analyze", "--use-kube=false", "-f", str(manifest), "--analyzer",
                  "schema.ValidationAnalyzer.VirtualService", "-o", "json")
    assert res.exit_code == 79
    assert res.stderr == ""
    (finding,) = json.loads(res.stdout)
    assert finding["code"] == "IST0106" and finding["path"] == "spec.http[0].match[0].uri.regex"


@pytest.mark.parametrize(("kind", "spec", "path"), [
    ("VirtualService", {"hosts": ["a"], "http": [{"route": ROUTE, "timeout": "0.5ms"}]}, "spec.http[0].timeout"),
    ("VirtualService", {"hosts": ["a"], "http": [{"route": ROUTE, "timeout": "5"}]}, "spec.http[0].timeout"),
    ("ServiceEntry", {"hosts": ["*"], "resolution": "DNS"}, "spec.hosts[0]"),
    ("AuthorizationPolicy", {"selector": {"matchLabels": {"app": "a"}}, "targetRef": {"kind": "Gateway", "name": "g"}},
     "spec.targetRef"),
    ("AuthorizationPolicy", {"targetRefs": [{"kind": "Gateway", "name": "g", "namespace": "other"}]},
     "spec.targetRefs[0].namespace"),
    ("RequestAuthentication", {"jwtRules": [{"issuer": "i", "jwks": "{}", "jwksUri": "https://i/j"}]},
     "spec.jwtRules[0].jwksUri"),
    ("Sidecar", {"workloadSelector": {"labels": {"app": "web*"}}}, "spec.workloadSelector.labels.app"),
])
def test_crd_value_rules_are_checked_offline(kind: str, spec: dict, path: str) -> None:
    assert (("IST0106", path) in {(i.code, i.path) for i in validate_spec(kind, spec)}), validate_spec(kind, spec)


@pytest.mark.parametrize(("text", "ns"), [("1s", 1e9), ("1h2m3.5s", 3723.5e9), ("250ms", 2.5e8), ("0", 0),
                                          ("1.5us", 1500), ("5", None), ("1d", None), ("", None)])
def test_go_durations(text: str, ns: float | None) -> None:
    assert duration_ns(text) == ns


def test_generated_analyzers_one_per_kind() -> None:
    from meshctl.analysis.registry import all_analyzers
    from meshctl.analyzers.schema.validation import ANALYZERS, SchemaValidationAnalyzer

    names = {n for n, cls in all_analyzers().items() if issubclass(cls, SchemaValidationAnalyzer)}
    assert names == {f"schema.ValidationAnalyzer.{k}" for k in schema_kinds()}
    assert len(names) == 14
    vs = ANALYZERS["VirtualService"]
    assert vs.inputs == ("VirtualService", "CustomResourceDefinition")
    assert vs.description() == "Runs schema validation as an analyzer on 'VirtualService' resources."


def test_a_cluster_crds_cel_rules_are_translated_too() -> None:
    cluster_schema = {"type": "object", "properties": {"timeout": {
        "type": "string", "x-kubernetes-validations": [{"rule": "duration(self) >= duration('1ms')"}]}}}
    issues = value_issues(cluster_schema, {"timeout": "soon"})
    assert [(i.path, i.code) for i in issues] == [("spec.timeout", "IST0106")]
    assert value_issues(cluster_schema, {"timeout": "2s"}) == []


def test_a_rule_that_raises_is_one_internal_error_and_the_rest_stay(monkeypatch: pytest.MonkeyPatch) -> None:
    from meshctl.analysis.pipeline import AnalyzeRequest, analyze
    from meshctl.resource import Resource
    from meshctl.schemas import rules

    def broken(spec: dict) -> Iterator[Any]:
        raise KeyError("boom")
        yield  # pragma: no cover

    monkeypatch.setitem(rules._RULES, "Gateway", [broken, *rules._RULES["Gateway"]])
    gw = Resource.from_dict({"apiVersion": "networking.istio.io/v1", "kind": "Gateway",
                             "metadata": {"name": "g", "namespace": "default"},
                             "spec": {"servers": [{"port": {"number": 70000, "name": "h", "protocol": "HTTP"},
                                                   "hosts": ["a"], "bogus": 1}]}})
    result = analyze(AnalyzeRequest(analyzers=["schema.ValidationAnalyzer.Gateway"]), extra=[gw])
    got = sorted((m.code, m.path or "") for m in result.messages)
    assert got == [("IST0001", ""), ("IST0106", "spec.servers[0].bogus"), ("IST0106", "spec.servers[0].port.number")]
    assert all(m.analyzer == "schema.ValidationAnalyzer.Gateway" for m in result.messages)
