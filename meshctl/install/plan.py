"""From an install configuration to Helm releases: which of Istio's charts, with which values. Pure.

The translation is istioctl's: ``spec.values`` are the values of the ``base`` and ``istiod`` charts
(``meshConfig`` goes to istiod's ``meshConfig``), ``values.cni`` and ``values.ztunnel`` are the top-level
values of the ``cni`` and ``ztunnel`` charts (each also gets ``global``), each enabled gateway of
``components.ingressGateways``/``egressGateways`` is one release of the ``gateway`` chart named after it
(egress gateways get a ``ClusterIP`` Service), with ``values.gateways.<name>`` as its values.
``hub``, ``tag`` and ``namespace`` become ``global.hub``, ``global.tag``, ``global.istioNamespace``;
the chart ``profile`` and ``revision`` go to every chart, as Istio's Helm instructions pass them.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from meshctl.install.config import InstallConfig, merge

Values = dict[str, Any]


@dataclass(frozen=True)
class ChartRelease:
    """One Helm release: the chart, the release name, the component it installs, its values."""

    chart: str
    name: str
    component: str
    values: Mapping[str, Any]


def _global(cfg: InstallConfig) -> Values:
    glob = copy.deepcopy(dict(cfg.value("global") or {}))
    for key in ("hub", "tag"):
        if cfg.spec.get(key):
            glob[key] = str(cfg.spec[key])
    if cfg.spec.get("namespace"):
        glob["istioNamespace"] = str(cfg.spec["namespace"])
    return glob


def _common(cfg: InstallConfig) -> Values:
    """What every chart gets: ``global``, the chart profile, the revision (only what is set)."""
    out: Values = {}
    glob = _global(cfg)
    if glob:
        out["global"] = glob
    if cfg.value("profile"):
        out["profile"] = cfg.value("profile")
    if cfg.revision:
        out["revision"] = cfg.revision
    return out


def _control_values(cfg: InstallConfig, with_mesh: bool) -> Values:
    values = copy.deepcopy(dict(cfg.spec.get("values") or {}))
    values = merge(values, _common(cfg))
    mesh = cfg.spec.get("meshConfig")
    if with_mesh and mesh:
        values["meshConfig"] = merge(dict(values.get("meshConfig") or {}), mesh)
    return values


def _node_values(cfg: InstallConfig, key: str) -> Values:
    return merge(dict(cfg.value(key) or {}), _common(cfg))


def _gateway_values(cfg: InstallConfig, gateway: Mapping[str, Any], egress: bool) -> Values:
    name = str(gateway["name"])
    values: Values = {"name": name}
    if egress:
        values["service"] = {"type": "ClusterIP"}
    if gateway.get("label"):
        values["labels"] = dict(gateway["label"])
    values = merge(values, dict((cfg.value("gateways") or {}).get(name) or {}))
    return merge(values, _common(cfg))


def releases(cfg: InstallConfig) -> list[ChartRelease]:
    """The Helm releases the configuration installs, in install order."""
    out: list[ChartRelease] = []
    rev = f"-{cfg.revision}" if cfg.revision else ""
    if cfg.enabled("base"):
        out.append(ChartRelease("base", "istio-base", "base", _control_values(cfg, with_mesh=False)))
    if cfg.enabled("pilot"):
        out.append(ChartRelease("istiod", f"istiod{rev}", "pilot", _control_values(cfg, with_mesh=True)))
    if cfg.enabled("cni"):
        out.append(ChartRelease("cni", "istio-cni", "cni", _node_values(cfg, "cni")))
    if cfg.enabled("ztunnel"):
        out.append(ChartRelease("ztunnel", "ztunnel", "ztunnel", _node_values(cfg, "ztunnel")))
    for kind, egress in (("ingressGateways", False), ("egressGateways", True)):
        for gateway in cfg.gateways(kind):
            out.append(ChartRelease("gateway", str(gateway["name"]), kind, _gateway_values(cfg, gateway, egress)))
    return out
