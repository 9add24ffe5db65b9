"""services.MultiClusterServiceAnalyzer: one Service defined differently in several clusters."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register
from meshctl.resource import Resource

PORT_FIELDS = ("name", "protocol", "appProtocol", "port", "targetPort", "nodePort")
HEADLESS_MIXED = "service has mixed mode like headless and clusterIP"
TYPE_DIFFERS = "service type is inconsistent"
PORTS_DIFFER = "service ports are inconsistent"


def _ports(svc: Resource) -> list[dict[str, Any]]:
    ports = [{f: p.get(f) for f in PORT_FIELDS} for p in svc.spec.get("ports") or [] if isinstance(p, dict)]
    return sorted(ports, key=lambda p: str(p.get("name") or ""))


def _headless(svc: Resource) -> bool:
    return svc.spec.get("clusterIP") == "None"


def find_inconsistencies(by_cluster: dict[str, Resource]) -> tuple[list[str], list[str]]:
    """The clusters whose copy differs from the first cluster's, and why (both sorted)."""
    clusters = sorted(by_cluster)
    first = by_cluster[clusters[0]]
    bad: set[str] = set()
    reasons: set[str] = set()
    for cluster in clusters:
        svc = by_cluster[cluster]
        if _headless(first) != _headless(svc):
            bad.update(clusters)
            reasons.add(HEADLESS_MIXED)
        if (first.spec.get("type") or "") != (svc.spec.get("type") or ""):
            bad.add(cluster)
            reasons.add(TYPE_DIFFERS)
        if _ports(first) != _ports(svc):
            bad.add(cluster)
            reasons.add(PORTS_DIFFER)
    if bad:
        bad.add(clusters[0])
    return sorted(bad), sorted(reasons)


@register
class MultiClusterServiceAnalyzer(Analyzer):
    """Check the validity of services in the multi-cluster environment."""

    name = "services.MultiClusterServiceAnalyzer"
    inputs = ("Service",)
    codes = ("IST0170",)

    def analyze(self, ctx: Context) -> None:
        """Compare each Service across origin clusters: type, headlessness and ports."""
        groups: dict[tuple[str | None, str], dict[str, Resource]] = defaultdict(dict)
        for svc in ctx.resources.of_kind("Service"):
            if svc.origin.cluster:
                groups[(svc.namespace, svc.name)][svc.origin.cluster] = svc
        for (ns, name), by_cluster in groups.items():
            if len(by_cluster) < 2:
                continue
            clusters, reasons = find_inconsistencies(by_cluster)
            if clusters:
                ctx.report("IST0170", by_cluster[min(by_cluster)], service=f"{ns}/{name}",
                           clusters=", ".join(clusters), detail="; ".join(reasons))
