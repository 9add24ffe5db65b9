"""Mesh configuration: istiod's defaults, and files that override them."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

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


def read_yaml_map(path: str, what: str, kind: str = "YAML") -> dict[str, Any]:
    """A YAML (or JSON) mapping from a file, ``{}`` when it is empty; else an InputError.

    ``kind`` names the format in the messages ("invalid mesh config YAML", "must be a YAML mapping");
    "" leaves it out.
    """
    kind = f" {kind}" if kind else ""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot read {what} ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: {what} is not UTF-8 text ({exc.reason})") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: invalid {what}{kind}: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError(f"{path}: {what} must be a{kind} mapping")
    return data


def load_mesh_config(path: str | None) -> dict[str, Any]:
    """The mesh config: defaults, with the file's settings applied on top."""
    if not path:
        return copy.deepcopy(DEFAULT_MESH_CONFIG)
    return deep_merge(DEFAULT_MESH_CONFIG, read_yaml_map(path, "mesh config"))


def load_mesh_networks(path: str | None) -> dict[str, Any]:
    """The mesh networks: empty unless a file gives them."""
    if not path:
        return copy.deepcopy(DEFAULT_MESH_NETWORKS)
    return deep_merge(DEFAULT_MESH_NETWORKS, read_yaml_map(path, "mesh networks"))


def mesh_configmap_names(revision: str) -> tuple[str, ...]:
    """The ConfigMaps (in the Istio namespace) that hold a revision's mesh config, preferred first."""
    return ("istio",) if revision in ("", "default") else (f"istio-{revision}", "istio")


def mesh_config_from_configmap(body: dict[str, Any]) -> dict[str, Any] | None:
    """The mesh config stored in an ``istio`` ConfigMap's ``data.mesh``, merged over the defaults."""
    text = (body.get("data") or {}).get("mesh")
    if not text:
        return None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InputError(f"ConfigMap {body.get('metadata', {}).get('name')}: invalid mesh config: {exc}") from exc
    return deep_merge(DEFAULT_MESH_CONFIG, data) if isinstance(data, dict) else None
