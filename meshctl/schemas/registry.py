"""The Istio kinds with schemas, their versions, and their spec schemas, from the generated data.

The data (``meshctl/schemas/data/<group>.json``) is written by :mod:`meshctl.schemas.generate`
from Istio's published CRDs; a group's file is read the first time one of its kinds is needed.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from meshctl.kinds import ISTIO_GROUPS, KINDS, is_istio_kind

Schema = dict[str, Any]


@cache
def group_data(group: str) -> dict[str, Any]:
    """The generated data of one API group (empty when meshctl has none for it)."""
    try:
        text = resources.files("meshctl.schemas").joinpath("data", f"{group}.json").read_text(encoding="utf-8")
    except FileNotFoundError:
        return {"kinds": {}, "schemas": []}
    data: dict[str, Any] = json.loads(text)
    return data


def _kind_entry(kind: str) -> dict[str, Any] | None:
    info = KINDS.get(kind)
    if info is None:
        return None
    entry: dict[str, Any] | None = group_data(info.group)["kinds"].get(info.kind)
    return entry


@cache
def schema_kinds() -> tuple[str, ...]:
    """The Istio kind keys meshctl knows and has a generated schema for, sorted."""
    return tuple(sorted(k for k in KINDS if is_istio_kind(k) and _kind_entry(k) is not None))


def generated_kinds() -> dict[str, tuple[str, ...]]:
    """Every Kind in the generated data, by API group (including kinds meshctl does not model)."""
    return {g: tuple(sorted(group_data(g)["kinds"])) for g in sorted(ISTIO_GROUPS)}


def served_versions(kind: str) -> tuple[str, ...]:
    """The versions a kind is served in, preferred first (from ``meshctl.kinds``)."""
    return KINDS[kind].served_versions


def storage_version(kind: str) -> str:
    """The storage version: v1 where it is served, else the preferred one."""
    versions = served_versions(kind)
    return "v1" if "v1" in versions else versions[0]


def openapi_spec_schema(kind: str, version: str | None = None) -> Schema:
    """The generated (structural, OpenAPI v3) schema of a kind's ``spec`` in one version.

    Without ``version``: the storage version's. Raises KeyError for kinds or versions
    without a schema. The returned dict is shared: do not change it.
    """
    entry = _kind_entry(kind)
    if entry is None:
        raise KeyError(f"no schema for {kind}")
    version = version or storage_version(kind)
    if version not in entry["versions"] or version not in served_versions(kind):
        raise KeyError(f"{kind} has no version {version}")
    info = KINDS[kind]
    schema: Schema = group_data(info.group)["schemas"][entry["versions"][version]["schema"]]
    return schema


@cache
def spec_schema(kind: str, version: str | None = None) -> Schema:
    """The JSON Schema (draft 2020-12) of a kind's ``spec`` for validation."""
    from meshctl.schemas.openapi import from_openapi

    converted: Schema = from_openapi(openapi_spec_schema(kind, version))
    return converted
