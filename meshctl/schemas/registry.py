"""The Istio kinds with schemas, their served versions, and the assembled spec schemas."""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from meshctl.kinds import KINDS, is_istio_kind
from meshctl.schemas import common, endpoints, observability, proxy, security, traffic, virtualservice
from meshctl.schemas.build import Schema

_MODULES = (common, virtualservice, traffic, endpoints, proxy, security, observability)
DIALECT = "https://json-schema.org/draft/2020-12/schema"


@cache
def all_defs() -> dict[str, Schema]:
    """Every shared definition, by name (each name defined once)."""
    defs: dict[str, Schema] = {}
    for module in _MODULES:
        for name, schema in module.DEFS.items():
            if name in defs:
                raise RuntimeError(f"schema definition {name} defined twice")
            defs[name] = schema
    return defs


@cache
def _specs() -> dict[str, Schema]:
    specs: dict[str, Schema] = {}
    for module in _MODULES:
        specs.update(getattr(module, "SPECS", {}))
    return specs


def schema_kinds() -> tuple[str, ...]:
    """The Istio kind keys that have a spec schema, sorted."""
    return tuple(sorted(k for k in _specs() if is_istio_kind(k)))


def served_versions(kind: str) -> tuple[str, ...]:
    """The versions a kind is served in, preferred first (from ``meshctl.kinds``)."""
    return KINDS[kind].served_versions


def storage_version(kind: str) -> str:
    """The storage version: v1 where it is served, else the preferred one."""
    versions = served_versions(kind)
    return "v1" if "v1" in versions else versions[0]


def spec_schema(kind: str, version: str | None = None) -> Schema:
    """The JSON Schema of a kind's ``spec`` (the same for every served version), with ``$defs``.

    Raises KeyError for kinds or versions we have no schema for.
    """
    if version is not None and version not in served_versions(kind):
        raise KeyError(f"{kind} has no version {version}")
    return {"$schema": DIALECT, "$defs": all_defs(), **_specs()[kind]}


def inline_refs(schema: Any, defs: dict[str, Schema] | None = None) -> Any:
    """A copy of ``schema`` with every ``$ref`` to ``$defs`` replaced by the definition itself."""
    defs = all_defs() if defs is None else defs
    if isinstance(schema, list):
        return [inline_refs(item, defs) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in ("$defs", "$schema"):
            continue
        if key == "$ref":
            out.update(inline_refs(copy.deepcopy(defs[value.rsplit("/", 1)[-1]]), defs))
        else:
            out[key] = inline_refs(value, defs)
    return out


@cache
def inlined_spec_schema(kind: str) -> Schema:
    """The spec schema of a kind with its definitions inlined (no ``$ref``)."""
    return inline_refs(_specs()[kind])
