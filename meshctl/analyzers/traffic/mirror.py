"""traffic.MirrorAnalyzer: mirror targets must exist and mirror percentages be valid."""

from __future__ import annotations

from typing import Any

from meshctl.analysis.context import Context
from meshctl.analysis.hosts import HostIndex, cluster_domain, resource_name_for_host
from meshctl.analysis.registry import Analyzer, register
from meshctl.analyzers.traffic.numbers import as_number, shown
from meshctl.analyzers.virtualservice.destinationrules import known_subsets
from meshctl.analyzers.virtualservice.routes import export_to_of, mirror_destinations
from meshctl.resource import Resource


def _percent(holder: Any) -> float | None:
    """``value`` of a Percent message, or None when absent or not a number."""
    return as_number(holder.get("value") if isinstance(holder, dict) else None)


def percentages(vs: Resource) -> list[tuple[str, float]]:
    """``(path, value)`` of every mirrorPercentage and mirrors[].percentage."""
    out = []
    for i, rule in enumerate(vs.spec.get("http") or []):
        if not isinstance(rule, dict):
            continue
        value = _percent(rule.get("mirrorPercentage"))
        if value is not None:
            out.append((f"spec.http[{i}].mirrorPercentage", value))
        for j, mirror in enumerate(rule.get("mirrors") or []):
            value = _percent(mirror.get("percentage") if isinstance(mirror, dict) else None)
            if value is not None:
                out.append((f"spec.http[{i}].mirrors[{j}].percentage", value))
    return out


@register
class MirrorAnalyzer(Analyzer):
    """Checks that mirror targets resolve, their subsets exist and mirror percentages are valid."""

    name = "traffic.MirrorAnalyzer"
    inputs = ("VirtualService", "DestinationRule", "Service", "ServiceEntry")
    codes = ("IST0101", "MSH0103", "MSH0104")

    def analyze(self, ctx: Context) -> None:
        """Check each VirtualService's mirror hosts, subsets, percentages and deprecated fields."""
        res = ctx.resources
        domain = cluster_domain(ctx.mesh_config)
        index = HostIndex(res.of_kind("ServiceEntry"), res.of_kind("Service"), domain)
        subsets = known_subsets(res.of_kind("DestinationRule"), domain)
        for vs in res.of_kind("VirtualService"):
            self._check_targets(ctx, vs, index, subsets, domain)
            self._check_percentages(ctx, vs)

    def _check_targets(self, ctx: Context, vs: Resource, index: HostIndex,
                       subsets: set[tuple[str, str, str]], domain: str) -> None:
        for dest in mirror_destinations(vs):
            if index.lookup(vs.namespace, export_to_of(vs), dest.host) is None:
                ctx.report("IST0101", vs, path=f"{dest.path}.host", ref_kind="mirror host", ref_name=dest.host)
            if dest.subset and (*resource_name_for_host(dest.host, vs.namespace, domain),
                                dest.subset) not in subsets:
                ctx.report("IST0101", vs, path=f"{dest.path}.subset",
                           ref_kind="mirror+subset in destinationrule",
                           ref_name=f"{dest.host}+{dest.subset}")

    def _check_percentages(self, ctx: Context, vs: Resource) -> None:
        for path, value in percentages(vs):
            if not 0 <= value <= 100:
                ctx.report("MSH0103", vs, path=path, value=shown(value), route=path.rsplit(".", 1)[0])
        for i, rule in enumerate(vs.spec.get("http") or []):
            if isinstance(rule, dict) and ("mirrorPercent" in rule or "mirror_percent" in rule):
                ctx.report("MSH0104", vs, path=f"spec.http[{i}]", route=f"spec.http[{i}]")
