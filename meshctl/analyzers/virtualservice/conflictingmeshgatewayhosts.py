"""virtualservice.ConflictingMeshGatewayHostsAnalyzer: one mesh VirtualService per host and scope."""

from __future__ import annotations

from collections import defaultdict

from meshctl.analysis.context import Context
from meshctl.analysis.hosts import (
    EXPORT_ALL,
    MESH_GATEWAY,
    cluster_domain,
    export_scopes,
    host_matches,
    to_fqdn,
)
from meshctl.analysis.registry import Analyzer, register
from meshctl.analyzers.virtualservice.routes import export_to_of, gateways_of, hosts_of
from meshctl.resource import Resource

ScopedHost = tuple[str, str]


def bound_to_mesh(vs: Resource) -> bool:
    """Whether a VirtualService applies to sidecars (no gateways, or ``mesh`` among them)."""
    gateways = gateways_of(vs)
    return not gateways or MESH_GATEWAY in gateways


def mesh_hosts(virtual_services: list[Resource], domain: str) -> dict[ScopedHost, list[Resource]]:
    """Mesh-bound VirtualServices by (export scope, FQDN host)."""
    out: dict[ScopedHost, list[Resource]] = defaultdict(list)
    for vs in virtual_services:
        if not bound_to_mesh(vs):
            continue
        for scope in sorted(export_scopes(export_to_of(vs), vs.namespace)):
            for host in hosts_of(vs):
                out[(scope, to_fqdn(host, vs.namespace, domain))].append(vs)
    return out


def _exported_to_all(host: str, by_host: dict[ScopedHost, list[Resource]],
                     wild: list[ScopedHost]) -> list[Resource]:
    """VirtualServices exported to every namespace whose host overlaps ``host``.

    ``wild`` lists the exported-everywhere wildcard hosts, computed once.
    """
    if host.startswith("*"):
        keys = [k for k in by_host if k[0] == EXPORT_ALL and host_matches(host, k[1])]
    else:
        keys = [k for k in [(EXPORT_ALL, host)] if k in by_host]
        keys += [k for k in wild if host_matches(host, k[1])]
    return [vs for key in keys for vs in by_host[key]]


@register
class ConflictingMeshGatewayHostsAnalyzer(Analyzer):
    """Checks if multiple virtual services associated with the mesh gateway have conflicting hosts."""

    name = "virtualservice.ConflictingMeshGatewayHostsAnalyzer"
    inputs = ("VirtualService",)
    codes = ("IST0109",)

    def analyze(self, ctx: Context) -> None:
        """Report each VirtualService once when another mesh VirtualService claims its host."""
        by_host = mesh_hosts(ctx.resources.of_kind("VirtualService"), cluster_domain(ctx.mesh_config))
        wild = [k for k in by_host if k[0] == EXPORT_ALL and k[1].startswith("*")]
        reported: set[tuple[str | None, str]] = set()
        for (scope, host), items in by_host.items():
            claimants = list(items)
            if scope != EXPORT_ALL:
                claimants += _exported_to_all(host, by_host, wild)
            if len(claimants) < 2:
                continue
            names = ",".join(vs.ref() for vs in claimants)
            for vs in claimants:
                if (vs.namespace, vs.name) in reported:
                    continue
                reported.add((vs.namespace, vs.name))
                ctx.report("IST0109", vs, path="metadata.name", services=names,
                           host=f"{scope}/{host}")
