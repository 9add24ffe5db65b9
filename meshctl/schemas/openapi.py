"""Convert between our JSON Schemas and Kubernetes' OpenAPI v3 structural schemas.

- :func:`to_structural`: JSON Schema (refs inlined) -> the structural form a CRD needs.
- :func:`from_openapi`: a cluster CRD's ``openAPIV3Schema`` -> JSON Schema for validation.
"""

from __future__ import annotations

from typing import Any

from meshctl.schemas.build import Schema

PRESERVE = "x-kubernetes-preserve-unknown-fields"
INT_OR_STRING = "x-kubernetes-int-or-string"
_JUNCTORS = ("oneOf", "anyOf", "allOf", "not")
_VALUE_KEYS = ("required", "minimum", "maximum", "minLength", "maxLength", "pattern", "enum",
               "minItems", "maxItems", "minProperties", "maxProperties", "format")


def _junctor_only(schema: Any) -> Any:
    """Inside oneOf/anyOf/allOf/not, structural schemas allow value checks only (no types)."""
    if isinstance(schema, list):
        return [_junctor_only(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {k: schema[k] for k in _VALUE_KEYS if k in schema}
    for key in _JUNCTORS:
        if key in schema:
            out[key] = _junctor_only(schema[key])
    return out


def to_structural(schema: Schema) -> Schema:
    """A structural OpenAPI v3 schema from a ref-free JSON Schema.

    ``additionalProperties: false`` is dropped (the API server prunes unknown fields); free-form
    objects and untyped values get ``x-kubernetes-preserve-unknown-fields``.
    """
    out: Schema = {}
    kind = schema.get("type")
    if kind is None:
        return {PRESERVE: True}
    out["type"] = kind
    for key in _VALUE_KEYS:
        if key in schema:
            out[key] = schema[key]
    for key in _JUNCTORS:
        if key in schema:
            out[key] = _junctor_only(schema[key])
    if kind == "object":
        props = schema.get("properties")
        extra = schema.get("additionalProperties")
        if props:
            out["properties"] = {name: to_structural(sub) for name, sub in sorted(props.items())}
        if isinstance(extra, dict):
            out["additionalProperties"] = to_structural(extra)
        elif not props and extra is not False:
            out[PRESERVE] = True
    if kind == "array":
        out["items"] = to_structural(schema.get("items") or {})
    return out


def from_openapi(schema: Any) -> Any:
    """A JSON Schema from an OpenAPI v3 (structural) schema.

    ``x-kubernetes-*`` keys are dropped; objects with properties reject unknown fields unless
    ``x-kubernetes-preserve-unknown-fields`` is set; ``nullable`` allows null; int-or-string
    allows both.
    """
    if isinstance(schema, list):
        return [from_openapi(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key.startswith("x-kubernetes-") or key in ("nullable", "description", "example",
                                                      "externalDocs", "default"):
            continue
        if key == "properties":
            out[key] = {name: from_openapi(sub) for name, sub in value.items()}
        elif key in ("items", "additionalProperties", "not") or key in _JUNCTORS:
            out[key] = from_openapi(value)
        else:
            out[key] = value
    if schema.get(INT_OR_STRING):
        out["type"] = ["integer", "string"]
    if schema.get("nullable") and "type" in out:
        types = out["type"] if isinstance(out["type"], list) else [out["type"]]
        out["type"] = [*types, "null"]
    if "properties" in out and "additionalProperties" not in out and not schema.get(PRESERVE):
        out["additionalProperties"] = False
    return out


def crd_version_schema(crd: dict[str, Any], version: str) -> Schema | None:
    """The JSON Schema of ``spec`` for one served version of a CRD, or None when it has none."""
    for entry in (crd.get("spec") or {}).get("versions") or []:
        if entry.get("name") != version or entry.get("served") is False:
            continue
        root = ((entry.get("schema") or {}).get("openAPIV3Schema")) or {}
        spec = (root.get("properties") or {}).get("spec")
        return from_openapi(spec) if isinstance(spec, dict) else None
    return None


def crd_served_versions(crd: dict[str, Any]) -> tuple[str, ...]:
    """The versions a CRD serves."""
    versions = (crd.get("spec") or {}).get("versions") or []
    return tuple(str(v.get("name")) for v in versions if v.get("served", True))
