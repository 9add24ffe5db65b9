"""virtualservice.DestinationHostAnalyzer: route and mirror hosts must exist, with the port used."""

from __future__ import annotations

from collections import defaultdict

from meshctl.analysis.context import Context
from meshctl.analysis.hosts import HostEntry, HostIndex, cluster_domain
from meshctl.analysis.registry import Analyzer, register
from meshctl.analyzers.virtualservice.routes import (
    RouteDestination,
    export_to_of,
    gateways_of,
    hosts_of,
    mirror_destinations,
    route_destinations,
)
from meshctl.resource import Resource


def subset_routes_by_host(virtual_services: list[Resource],
                          routes: dict[int, list[RouteDestination]] | None = None) -> dict[str, list[Resource]]:
    """VirtualServices with an http route to a subset of one of their own hosts, by that host
    (``routes``: their route destinations by ``id(vs)``, when already known)."""
    out: dict[str, list[Resource]] = defaultdict(list)
    for vs in virtual_services:
        own = set(hosts_of(vs))
        for dest in routes[id(vs)] if routes is not None else route_destinations(vs):
            if dest.rule == "http" and dest.subset and dest.host in own:
                out[dest.host].append(vs)
    return out


@register
class DestinationHostAnalyzer(Analyzer):
    """Checks the destination hosts associated with each virtual service."""

    name = "virtualservice.DestinationHostAnalyzer"
    inputs = ("ServiceEntry", "VirtualService", "Service")
    codes = ("IST0140", "IST0101", "IST0112")

    def analyze(self, ctx: Context) -> None:
        """Resolve every destination; check ports; flag gateway routes that ignore subsets."""
        res = ctx.resources
        index = HostIndex(res.of_kind("ServiceEntry"), res.of_kind("Service"),
                          cluster_domain(ctx.mesh_config))
        virtual_services = res.of_kind("VirtualService")
        routes = {id(vs): route_destinations(vs) for vs in virtual_services}
        with_subsets = subset_routes_by_host(virtual_services, routes)
        for vs in virtual_services:
            self._check_hosts(ctx, vs, index, routes[id(vs)])
            self._check_subsets(ctx, vs, with_subsets, routes[id(vs)])

    def _check_hosts(self, ctx: Context, vs: Resource, index: HostIndex, routes: list[RouteDestination]) -> None:
        export_to = export_to_of(vs)
        for dest in [*routes, *mirror_destinations(vs)]:
            entry = index.lookup(vs.namespace, export_to, dest.host)
            if entry is None:
                kind = "mirror host" if dest.is_mirror else "host"
                ctx.report("IST0101", vs, path=f"{dest.path}.host", ref_kind=kind, ref_name=dest.host)
                continue
            self._check_port(ctx, vs, dest, entry)

    def _check_port(self, ctx: Context, vs: Resource, dest: RouteDestination, entry: HostEntry) -> None:
        if dest.port is None:
            if len(entry.ports) > 1:
                ctx.report("IST0112", vs, path=dest.path, host=dest.host)
            return
        if dest.port not in entry.ports:
            ctx.report("IST0101", vs, path=f"{dest.path}.port.number", ref_kind="host:port",
                       ref_name=f"{dest.host}:{dest.port}")

    def _check_subsets(self, ctx: Context, vs: Resource, with_subsets: dict[str, list[Resource]],
                       routes: list[RouteDestination]) -> None:
        if not gateways_of(vs):
            return
        for dest in routes:
            if dest.rule != "http" or dest.subset:
                continue
            for other in with_subsets.get(dest.host, []):
                ctx.report("IST0140", vs, path=dest.path, virtualservice=other.ref(), route=vs.ref())
