"""The ``istio`` mesh ConfigMap and the ``istio-sidecar-injector`` ConfigMap."""

from __future__ import annotations

import json
from typing import Any

import yaml

from meshctl.install.config import InstallConfig
from meshctl.install.meta import Obj, new


def istiod_host(cfg: InstallConfig) -> str:
    """istiod's in-cluster host name, ``istiod[-rev].<ns>.svc``."""
    return f"{cfg.suffixed('istiod')}.{cfg.namespace}.svc"


def mesh_config(cfg: InstallConfig) -> dict[str, Any]:
    """meshConfig with the defaults that depend on namespace and revision filled in."""
    mesh = dict(cfg.spec.get("meshConfig") or {})
    default = dict(mesh.get("defaultConfig") or {})
    default.setdefault("discoveryAddress", f"{istiod_host(cfg)}:15012")
    default.setdefault("proxyMetadata", {})
    mesh["defaultConfig"] = default
    mesh.setdefault("rootNamespace", cfg.namespace)
    return mesh


def _yaml(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=True, default_flow_style=False)


def mesh_configmap(cfg: InstallConfig) -> Obj:
    """The ``istio`` (``istio-<rev>``) ConfigMap istiod and proxies read meshConfig from."""
    obj = new("v1", "ConfigMap", cfg.suffixed("istio"), cfg, "pilot")
    obj["data"] = {"mesh": _yaml(mesh_config(cfg)), "meshNetworks": "networks: {}\n"}
    return obj


def injector_values(cfg: InstallConfig) -> dict[str, Any]:
    """The ``values`` the injection templates see: hub, tag, proxy image, revision and so on."""
    glob = dict(cfg.value("global") or {})
    proxy = dict(glob.get("proxy") or {})
    proxy["image"] = str(proxy.get("image") or "proxyv2")
    glob.update(hub=cfg.hub, tag=cfg.tag, istioNamespace=cfg.namespace, proxy=proxy)
    return {
        "global": glob,
        "revision": cfg.revision,
        "sidecarInjectorWebhook": dict(cfg.value("sidecarInjectorWebhook") or {}),
        "pilot": {"cni": {"enabled": cfg.enabled("cni")}},
        "istio_cni": {"enabled": cfg.enabled("cni")},
    }


def injector_config(cfg: InstallConfig) -> dict[str, Any]:
    """The injection policy istiod's webhook applies."""
    hook = dict(cfg.value("sidecarInjectorWebhook") or {})
    return {
        "policy": "enabled",
        "alwaysInjectSelector": list(hook.get("alwaysInjectSelector") or []),
        "neverInjectSelector": list(hook.get("neverInjectSelector") or []),
        "injectedAnnotations": {},
        "defaultTemplates": ["sidecar"],
    }


def injector_configmap(cfg: InstallConfig) -> Obj:
    """The ``istio-sidecar-injector`` (``-<rev>``) ConfigMap: ``values`` JSON and ``config`` YAML."""
    obj = new("v1", "ConfigMap", cfg.suffixed("istio-sidecar-injector"), cfg, "pilot")
    obj["data"] = {
        "values": json.dumps(injector_values(cfg), sort_keys=True, indent=2) + "\n",
        "config": _yaml(injector_config(cfg)),
    }
    return obj


def build(cfg: InstallConfig) -> list[Obj]:
    """Both ConfigMaps when a control plane (local or remote) is configured."""
    if not cfg.control_plane:
        return []
    return [mesh_configmap(cfg), injector_configmap(cfg)]
