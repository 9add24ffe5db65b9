"""Validate Istio resources: JSON Schema checks, Istio's own rules, and VirtualService rule analysis.

``jsonschema`` is imported only here, and only when a validator is first compiled.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from meshctl.schemas.build import oneof_keys_of
from meshctl.schemas.registry import Schema, openapi_spec_schema, served_versions, spec_schema

SCHEMA_ERROR = "IST0106"
SCHEMA_WARNING = "IST0133"


@dataclass(frozen=True)
class Issue:
    """One finding: a catalogue code, the field path, and the message parameters."""

    code: str
    path: str
    params: dict[str, object] = field(default_factory=dict, compare=False)

    @classmethod
    def error(cls, path: str, detail: str) -> Issue:
        """A schema validation error (IST0106) at ``path``."""
        return cls(SCHEMA_ERROR, path, {"field": path, "detail": detail})

    @classmethod
    def warning(cls, path: str, detail: str) -> Issue:
        """A schema warning (IST0133) at ``path``."""
        return cls(SCHEMA_WARNING, path, {"field": path, "detail": detail})

    @property
    def detail(self) -> str:
        """The human part of the message."""
        return str(self.params.get("detail", ""))


def format_path(parts: Iterable[object], root: str = "spec") -> str:
    """``spec.http[0].route[0].weight`` from ``["http", 0, "route", 0, "weight"]``."""
    out = root
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class SchemaValidator:
    """A schema compiled once: a fast yes/no check, and jsonschema (built on first need) for errors."""

    def __init__(self, schema: Schema) -> None:
        from meshctl.schemas.fastcheck import Unsupported, compile_check

        self.schema = schema
        self._jsonschema: Any = None
        try:
            self.fast: Callable[[Any], bool] | None = compile_check(schema)
        except Unsupported:
            self.fast = None

    def errors(self, instance: Any) -> list[Any]:
        """jsonschema's errors for ``instance`` (none when the fast check passes)."""
        if self.fast is not None and self.fast(instance):
            return []
        if self._jsonschema is None:
            from jsonschema import Draft202012Validator

            self._jsonschema = Draft202012Validator(self.schema)
        return list(self._jsonschema.iter_errors(instance))


@cache
def our_validator(kind: str, version: str | None = None) -> SchemaValidator:
    """The compiled validator for a kind's spec in a version (compiled once per process)."""
    return SchemaValidator(spec_schema(kind, version))


@lru_cache(maxsize=64)
def _validator_for_text(text: str) -> SchemaValidator:
    return SchemaValidator(json.loads(text))


def validator_for(schema: Schema) -> SchemaValidator:
    """A compiled validator for any schema (cached by content, e.g. a cluster CRD's schema)."""
    return _validator_for_text(json.dumps(schema, sort_keys=True))


_TYPE_NAMES = {"object": "an object", "array": "a list", "string": "a string", "integer": "an integer",
               "number": "a number", "boolean": "true or false", "null": "null"}


def _type_name(schema: Mapping[str, Any]) -> str:
    kind = schema.get("type")
    if isinstance(kind, list):
        return " or ".join(_TYPE_NAMES.get(str(k), str(k)) for k in kind)
    return _TYPE_NAMES.get(str(kind), str(kind))


def _describe(error: Any) -> str:
    """Our wording for one jsonschema error."""
    kind, value, instance = error.validator, error.validator_value, error.instance
    if kind == "type":
        return f"must be {_type_name(error.schema)}, not {json.dumps(instance)}"
    if kind == "enum":
        return f"{json.dumps(instance)} is not one of {', '.join(map(str, value))}"
    if kind in ("minimum", "maximum"):
        return f"{instance} is {'below the minimum' if kind == 'minimum' else 'above the maximum'} {value}"
    if kind == "pattern":
        return f"{json.dumps(instance)} does not match {value}"
    if kind == "minLength":
        return "must not be empty"
    return str(error.message)


def _issues_for(error: Any) -> Iterator[Issue]:
    """Turn one jsonschema error into issues with precise field paths."""
    path = list(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = set(error.schema.get("properties") or {})
        for name in sorted(k for k in error.instance if k not in known):
            yield Issue.error(format_path([*path, name]), f"unknown field {name!r}")
        return
    if error.validator == "required":
        for name in error.validator_value:
            if isinstance(error.instance, dict) and name not in error.instance:
                yield Issue.error(format_path([*path, name]), f"required field {name!r} is missing")
        return
    if error.validator == "oneOf":
        keys = oneof_keys_of(error.validator_value)
        if keys is not None and isinstance(error.instance, dict):
            present = [k for k in keys if k in error.instance]
            yield Issue.error(format_path(path), f"only one of {', '.join(present)} may be set")
            return
    yield Issue.error(format_path(path), _describe(error))


def schema_issues(validator: SchemaValidator, spec: Any) -> list[Issue]:
    """Every schema problem in ``spec``, in document order."""
    errors = sorted(validator.errors(spec), key=lambda e: [str(p) for p in e.absolute_path])
    return [issue for error in errors for issue in _issues_for(error)]


def version_issue(kind: str, api_version: str, versions: Iterable[str] | None = None) -> Issue | None:
    """IST0106 at ``apiVersion`` when the version is not served for the kind."""
    version = api_version.rpartition("/")[2]
    allowed = tuple(versions) if versions is not None else served_versions(kind)
    if version in allowed:
        return None
    return Issue.error("apiVersion", f"{kind} is not served in version {version!r} "
                                     f"(served: {', '.join(allowed)})")


def validate_spec(kind: str, spec: Any, openapi: Schema | None = None,
                  version: str | None = None, rules: bool = True) -> list[Issue]:
    """Schema problems, value checks, then (unless ``rules`` is false) Istio's own rules, for one ``spec``.

    ``openapi`` (a cluster CRD's OpenAPI v3 schema of ``spec``) overrides the generated schema
    of ``version`` (default: the storage version).
    """
    from meshctl.schemas.openapi import from_openapi
    from meshctl.schemas.rules import rule_issues
    from meshctl.schemas.values import value_issues

    if openapi is None:
        openapi = openapi_spec_schema(kind, version)
        validator = our_validator(kind, version)
    else:
        validator = validator_for(from_openapi(openapi))
    issues = schema_issues(validator, {} if spec is None else spec)
    issues.extend(value_issues(openapi, spec))
    if rules and (isinstance(spec, dict) or spec is None):
        issues.extend(rule_issues(kind, spec or {}))
    return issues


def validate_resource(body: Mapping[str, Any], kind: str, openapi: Schema | None = None,
                      versions: Iterable[str] | None = None, rules: bool = True) -> list[Issue]:
    """Every issue for one resource body: apiVersion, then ``spec`` (checked against the
    schema of the resource's version when meshctl has one, else the storage version's)."""
    issues: list[Issue] = []
    api_version = str(body.get("apiVersion", ""))
    bad_version = version_issue(kind, api_version, versions)
    if bad_version:
        issues.append(bad_version)
    version: str | None = api_version.rpartition("/")[2]
    if bad_version or openapi is not None or version not in served_versions(kind):
        version = None
    issues.extend(validate_spec(kind, body.get("spec"), openapi, version, rules))
    return issues
