"""CustomResourceDefinitions for every Istio kind, from the same generated schemas as validation."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from meshctl.kinds import KINDS
from meshctl.schemas.openapi import PRESERVE
from meshctl.schemas.registry import Schema, openapi_spec_schema, schema_kinds, served_versions, storage_version

#: Istio's short names for its kinds.
SHORT_NAMES: dict[str, tuple[str, ...]] = {
    "VirtualService": ("vs",),
    "DestinationRule": ("dr",),
    "Gateway": ("gw",),
    "ServiceEntry": ("se",),
    "Sidecar": (),
    "EnvoyFilter": (),
    "WorkloadEntry": ("we",),
    "WorkloadGroup": ("wg",),
    "ProxyConfig": (),
    "PeerAuthentication": ("pa",),
    "AuthorizationPolicy": ("ap",),
    "RequestAuthentication": ("ra",),
    "Telemetry": ("telemetry",),
    "WasmPlugin": (),
}

#: Categories used by ``kubectl get istio-io``.
_CATEGORIES: dict[str, str] = {
    "networking.istio.io": "networking-istio-io",
    "security.istio.io": "security-istio-io",
    "telemetry.istio.io": "telemetry-istio-io",
    "extensions.istio.io": "extensions-istio-io",
}


def _structural(node: Any) -> Any:
    """A copy of a generated schema without meshctl's own keys (``x-meshctl-*``)."""
    if isinstance(node, list):
        return [_structural(item) for item in node]
    if not isinstance(node, dict):
        return copy.copy(node)
    return {key: _structural(value) for key, value in node.items() if not key.startswith("x-meshctl-")}


def _object_schema(kind: str, version: str) -> Schema:
    """The whole object's structural schema for one version."""
    return {
        "type": "object",
        "properties": {
            "spec": _structural(openapi_spec_schema(kind, version)),
            "status": {"type": "object", PRESERVE: True},
        },
    }


def _version(kind: str, name: str) -> dict[str, Any]:
    return {
        "name": name,
        "served": True,
        "storage": name == storage_version(kind),
        "schema": {"openAPIV3Schema": _object_schema(kind, name)},
        "subresources": {"status": {}},
    }


def istio_crd(kind: str, labels: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The apiextensions.k8s.io/v1 CustomResourceDefinition for one Istio kind."""
    info = KINDS[kind]
    names: dict[str, Any] = {"kind": info.kind, "listKind": f"{info.kind}List", "plural": info.plural,
                             "singular": info.kind.lower(),
                             "categories": ["istio-io", _CATEGORIES[info.group]]}
    if SHORT_NAMES.get(kind):
        names["shortNames"] = list(SHORT_NAMES[kind])
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": f"{info.plural}.{info.group}", "labels": dict(sorted((labels or {}).items()))},
        "spec": {
            "group": info.group,
            "names": names,
            "scope": "Namespaced" if info.namespaced else "Cluster",
            "versions": [_version(kind, v) for v in served_versions(kind)],
        },
    }


def istio_crds(labels: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """One CRD per Istio kind, sorted by name; ``labels`` go on every CRD. Deterministic."""
    crds = [istio_crd(kind, labels) for kind in schema_kinds()]
    return sorted(crds, key=lambda c: c["metadata"]["name"])
