"""destinationrule.SubsetLabelsAnalyzer: subsets need labels, and one host+subset belongs to one DestinationRule."""

from __future__ import annotations

from collections import defaultdict

from meshctl.analysis.context import Context
from meshctl.analysis.hosts import cluster_domain, to_fqdn
from meshctl.analysis.registry import Analyzer, register
from meshctl.resource import Resource


@register
class SubsetLabelsAnalyzer(Analyzer):
    """Reports DestinationRule subsets without labels, and a host+subset defined by several DestinationRules of a namespace."""  # noqa: E501

    name = "destinationrule.SubsetLabelsAnalyzer"
    inputs = ("DestinationRule",)
    codes = ("MSH1755", "MSH1756")

    def analyze(self, ctx: Context) -> None:
        """Check each subset, and index (namespace, host, subset) across rules."""
        domain = cluster_domain(ctx.mesh_config)
        defined: dict[tuple[str, str, str], list[Resource]] = defaultdict(list)
        for rule in ctx.resources.of_kind("DestinationRule"):
            host = to_fqdn(str(rule.spec.get("host", "")), rule.namespace, domain)
            for i, subset in enumerate(rule.spec.get("subsets") or []):
                if not isinstance(subset, dict):
                    continue
                name = str(subset.get("name", ""))
                if not subset.get("labels"):
                    ctx.report("MSH1755", rule, path=f"spec.subsets[{i}]", subset=name)
                defined[(rule.namespace or "", host, name)].append(rule)
        for (_, host, subset), rules in sorted(defined.items()):
            unique = {(r.namespace, r.name): r for r in rules}
            if len(unique) > 1:
                names = ", ".join(sorted(r.ref() for r in unique.values()))
                for rule in unique.values():
                    ctx.report("MSH1756", rule, path="spec.subsets", host=host, subset=subset, rules=names)
