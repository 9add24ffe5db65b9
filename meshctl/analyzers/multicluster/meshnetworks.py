"""meshnetworks.MeshNetworksAnalyzer: mesh network endpoints naming unknown registries."""

from __future__ import annotations

from typing import Any

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register

MULTICLUSTER_SECRET_LABEL = "istio/multiCluster"
BUILTIN_REGISTRIES = frozenset({"Mock", "Kubernetes", "External"})
MESH_NETWORKS_ORIGIN = "MeshNetworks istio-system/meshnetworks"


def known_registries(secrets: list[Any]) -> set[str]:
    """Built-in registries plus every cluster named in a remote-cluster Secret's data."""
    names = set(BUILTIN_REGISTRIES)
    for secret in secrets:
        if secret.labels.get(MULTICLUSTER_SECRET_LABEL) == "true":
            names.update(str(k) for k in (secret.body.get("data") or {}))
            names.update(str(k) for k in (secret.body.get("stringData") or {}))
    return names


@register
class MeshNetworksAnalyzer(Analyzer):
    """Check the validity of MeshNetworks in the cluster."""

    name = "meshnetworks.MeshNetworksAnalyzer"
    inputs = ("Secret",)
    codes = ("IST0126",)

    def analyze(self, ctx: Context) -> None:
        """Report each ``fromRegistry`` endpoint whose registry is neither built in nor a known cluster."""
        networks = (ctx.env.mesh_networks or {}).get("networks") or {}
        if not isinstance(networks, dict) or not networks:
            return
        registries = known_registries(ctx.resources.of_kind("Secret"))
        for network, spec in networks.items():
            for j, endpoint in enumerate((spec or {}).get("endpoints") or []):
                registry = (endpoint or {}).get("fromRegistry")
                if registry is not None and str(registry) not in registries:
                    ctx.report("IST0126", None, path=f"networks.{network}.endpoints[{j}].fromRegistry",
                               origin=MESH_NETWORKS_ORIGIN, network=network, registry=registry)
