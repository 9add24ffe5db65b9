"""Mesh configuration: istiod's defaults, and files that override them."""

from __future__ import annotations

import copy
from typing import Any

from meshctl.errors import InputError

DEFAULT_MESH_CONFIG: dict[str, Any] = {
    "ingressService": "istio-ingressgateway",
    "ingressControllerMode": "STRICT",
    "ingressClass": "istio",
    "rootNamespace": "istio-system",
    "trustDomain": "cluster.local",
    "enableAutoMtls": True,
    "outboundTrafficPolicy": {"mode": "ALLOW_ANY"},
    "proxyListenPort": 15001,
    "proxyInboundListenPort": 15006,
    "proxyHttpPort": 15080,
    "defaultConfig": {
        "configPath": "./etc/istio/proxy",
        "binaryPath": "/usr/local/bin/envoy",
        "serviceCluster": "istio-proxy",
        "drainDuration": "45s",
        "discoveryAddress": "istiod.istio-system.svc:15012",
        "proxyAdminPort": 15000,
        "statNameLength": 189,
        "statusPort": 15020,
        "proxyMetadata": {},
    },
    "defaultProviders": {"metrics": ["prometheus"]},
    "extensionProviders": [
        {"name": "prometheus", "prometheus": {}},
        {"name": "stackdriver", "stackdriver": {}},
        {"name": "envoy", "envoyFileAccessLog": {"path": "/dev/stdout"}},
    ],
    "enablePrometheusMerge": True,
    "accessLogFile": "",
    "localityLbSetting": {"enabled": True},
}

DEFAULT_MESH_NETWORKS: dict[str, Any] = {"networks": {}}


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``base`` with ``override`` merged in (maps merge, everything else replaces)."""
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


# The parts of a mesh config that meshctl reads field by field, in meshctl.sources.shape's notation.
_MESH_SHAPE: dict[str, Any] = {
    "rootNamespace": "scalar", "trustDomain": "scalar",
    "defaultConfig": {"proxyMetadata": "strmap", "discoveryAddress": "scalar"},
    "extensionProviders": [{"name": "scalar"}],
    "defaultProviders": {"tracing": ["scalar"], "metrics": ["scalar"], "accessLogging": ["scalar"]},
    "discoverySelectors": [{"matchLabels": "strmap"}],
}


def check_mesh_config(data: dict[str, Any], where: str) -> dict[str, Any]:
    """``data`` when the fields meshctl reads have their types; InputError (exit 65) naming the field."""
    from meshctl.sources.shape import _conform

    _conform(data, _MESH_SHAPE, where, "meshConfig")
    return data


def load_mesh_config(path: str | None) -> dict[str, Any]:
    """The mesh config: defaults, with the file's settings applied on top."""
    from meshctl.sources.loading import read_mapping

    if not path:
        return copy.deepcopy(DEFAULT_MESH_CONFIG)
    return deep_merge(DEFAULT_MESH_CONFIG, check_mesh_config(read_mapping(path, "mesh config"), path))


def load_mesh_networks(path: str | None) -> dict[str, Any]:
    """The mesh networks: empty unless a file gives them."""
    from meshctl.sources.loading import read_mapping

    if not path:
        return copy.deepcopy(DEFAULT_MESH_NETWORKS)
    networks = read_mapping(path, "mesh networks")
    if not isinstance(networks.get("networks") or {}, dict):
        raise InputError(f"{path}: networks must be a mapping")
    return deep_merge(DEFAULT_MESH_NETWORKS, networks)


def mesh_configmap_names(revision: str) -> tuple[str, ...]:
    """The ConfigMaps (in the Istio namespace) that hold a revision's mesh config, preferred first."""
    return ("istio",) if revision in ("", "default") else (f"istio-{revision}", "istio")


def mesh_config_from_configmap(body: dict[str, Any]) -> dict[str, Any] | None:
    """The mesh config stored in an ``istio`` ConfigMap's ``data.mesh``, merged over the defaults."""
    from meshctl.sources.loading import parse_value

    where = f"ConfigMap {(body.get('metadata') or {}).get('name')}"
    data = body.get("data")
    if data is not None and not isinstance(data, dict):
        raise InputError(f"{where}: data must be a mapping")
    text = (data or {}).get("mesh")
    if not text:
        return None
    if not isinstance(text, str):
        raise InputError(f"{where}: data.mesh must be YAML text")
    mesh = parse_value(text, f"{where} data.mesh")
    return deep_merge(DEFAULT_MESH_CONFIG, check_mesh_config(mesh, where)) if isinstance(mesh, dict) else None
