"""Kubernetes' OpenAPI v3 structural schemas (generated from Istio's CRDs, or a cluster's) as JSON Schema.

- :func:`from_openapi`: a structural schema -> JSON Schema (draft 2020-12) for validation.
- :func:`crd_openapi_spec` / :func:`crd_version_schema`: the ``spec`` schema of a CRD version.
"""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]

PRESERVE = "x-kubernetes-preserve-unknown-fields"
INT_OR_STRING = "x-kubernetes-int-or-string"
_JUNCTORS = ("oneOf", "anyOf", "allOf", "not")


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
        if key.startswith("x-") or key in ("nullable", "description", "example",
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


def crd_openapi_spec(crd: dict[str, Any], version: str) -> Schema | None:
    """The OpenAPI v3 schema of ``spec`` for one served version of a CRD, or None when it has none."""
    for entry in (crd.get("spec") or {}).get("versions") or []:
        if entry.get("name") != version or entry.get("served") is False:
            continue
        root = ((entry.get("schema") or {}).get("openAPIV3Schema")) or {}
        spec = (root.get("properties") or {}).get("spec")
        return spec if isinstance(spec, dict) else None
    return None


def crd_version_schema(crd: dict[str, Any], version: str) -> Schema | None:
    """The JSON Schema of ``spec`` for one served version of a CRD, or None when it has none."""
    spec = crd_openapi_spec(crd, version)
    return from_openapi(spec) if spec is not None else None


def crd_served_versions(crd: dict[str, Any]) -> tuple[str, ...]:
    """The versions a CRD serves."""
    versions = (crd.get("spec") or {}).get("versions") or []
    return tuple(str(v.get("name")) for v in versions if v.get("served", True))
