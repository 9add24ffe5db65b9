"""virtualservice.GatewayHostsAnalyzer: one VirtualService per host on a gateway, and gateways named ns/name."""

from __future__ import annotations

from collections import defaultdict

from meshctl.analysis.context import Context
from meshctl.analysis.hosts import MESH_GATEWAY, host_matches
from meshctl.analysis.registry import Analyzer, register
from meshctl.resource import Resource


def gateway_ref(ref: str, namespace: str | None) -> str:
    """A VirtualService gateway reference as ``ns/name`` (a short name is in the VirtualService's namespace)."""
    if "/" in ref:
        return ref
    name = ref.split(".", 1)
    if len(name) == 2:  # name.namespace(.svc.cluster.local), the old form
        return f"{name[1].split('.')[0]}/{name[0]}"
    return f"{namespace}/{ref}" if namespace else ref


def admits(gateway: Resource, host: str, namespace: str | None) -> bool:
    """Whether a Gateway's servers accept a VirtualService host from ``namespace`` (``ns/host`` entries)."""
    for server in gateway.spec.get("servers") or []:
        for entry in (server or {}).get("hosts") or []:
            scope, _, name = str(entry).rpartition("/")
            allowed = scope in ("", "*") or (scope == "." and namespace == gateway.namespace) or scope == namespace
            if allowed and host_matches(host, name):
                return True
    return False


@register
class GatewayHostsAnalyzer(Analyzer):
    """Reports hosts bound to one gateway by several VirtualServices, and gateway references not in namespace/name form."""  # noqa: E501

    name = "virtualservice.GatewayHostsAnalyzer"
    inputs = ("VirtualService", "Gateway")
    codes = ("MSH1753", "MSH1754")

    def analyze(self, ctx: Context) -> None:
        """Index (gateway, host) -> VirtualServices the gateway admits; the mesh gateway is IST0109's."""
        bound: dict[tuple[str, str], list[Resource]] = defaultdict(list)
        for vs in ctx.resources.of_kind("VirtualService"):
            gateways = [str(g) for g in vs.spec.get("gateways") or []]
            for i, ref in enumerate(gateways):
                if ref != MESH_GATEWAY and "/" not in ref and vs.namespace:
                    ctx.report("MSH1754", vs, path=f"spec.gateways[{i}]", gateway=ref,
                               preferred=gateway_ref(ref, vs.namespace))
            for ref in gateways:
                if ref == MESH_GATEWAY:
                    continue
                full = gateway_ref(ref, vs.namespace)
                gw_ns, _, gw_name = full.rpartition("/")
                gw_obj = ctx.resources.get("Gateway", gw_ns or None, gw_name)
                for host in vs.spec.get("hosts") or []:
                    if gw_obj is None or admits(gw_obj, str(host), vs.namespace):
                        bound[(full, str(host))].append(vs)
        for (gateway, host), items in sorted(bound.items()):
            unique = {(v.namespace, v.name): v for v in items}
            if len(unique) < 2:
                continue
            names = ", ".join(sorted(v.ref() for v in unique.values()))
            for vs in unique.values():
                ctx.report("MSH1753", vs, path="spec.hosts", host=host, gateway=gateway, virtualservices=names)
