"""virtualservice.DestinationRuleAnalyzer: every subset a route or mirror names must exist."""

from __future__ import annotations

from meshctl.analysis.context import Context
from meshctl.analysis.hosts import cluster_domain, resource_name_for_host, to_fqdn
from meshctl.analysis.registry import Analyzer, register
from meshctl.analyzers.virtualservice.routes import mirror_destinations, route_destinations
from meshctl.resource import Resource

SubsetKey = tuple[str, str, str]


def known_subsets(destination_rules: list[Resource], domain: str) -> set[SubsetKey]:
    """``(namespace, name, subset)`` of every subset a DestinationRule defines for its host."""
    out: set[SubsetKey] = set()
    for dr in destination_rules:
        host = to_fqdn(str(dr.spec.get("host") or ""), dr.namespace, domain)
        ns, name = resource_name_for_host(host, dr.namespace, domain)
        for subset in dr.spec.get("subsets") or []:
            if isinstance(subset, dict):
                out.add((ns, name, str(subset.get("name") or "")))
    return out


@register
class DestinationRuleAnalyzer(Analyzer):
    """Checks the destination rules associated with each virtual service."""

    name = "virtualservice.DestinationRuleAnalyzer"
    inputs = ("VirtualService", "DestinationRule")
    codes = ("IST0101",)

    def analyze(self, ctx: Context) -> None:
        """Report route and mirror subsets that no DestinationRule for the host defines."""
        domain = cluster_domain(ctx.mesh_config)
        subsets = known_subsets(ctx.resources.of_kind("DestinationRule"), domain)
        for vs in ctx.resources.of_kind("VirtualService"):
            for dest in [*route_destinations(vs), *mirror_destinations(vs)]:
                if not dest.subset:
                    continue
                ns, name = resource_name_for_host(dest.host, vs.namespace, domain)
                if (ns, name, dest.subset) in subsets:
                    continue
                kind = "mirror+subset in destinationrule" if dest.is_mirror else \
                    "host+subset in destinationrule"
                ctx.report("IST0101", vs, path=f"{dest.path}.subset", ref_kind=kind,
                           ref_name=f"{dest.host}+{dest.subset}")
