"""telemetry.DefaultSelectorAnalyzer: more than one selector-less Telemetry in a namespace."""

from __future__ import annotations

from collections import defaultdict

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register
from meshctl.resource import Resource


@register
class DefaultSelectorAnalyzer(Analyzer):
    """Validates that there aren't multiple telemetry resources that have no selector."""

    name = "telemetry.DefaultSelectorAnalyzer"
    inputs = ("Telemetry",)
    codes = ("IST0160",)

    def analyze(self, ctx: Context) -> None:
        """Group selector-less Telemetries by namespace and report every member of a group of two or more."""
        by_ns: dict[str | None, list[Resource]] = defaultdict(list)
        for tel in ctx.resources.of_kind("Telemetry"):
            if tel.spec.get("selector") is None:
                by_ns[tel.namespace].append(tel)
        for ns, group in by_ns.items():
            if len(group) < 2:
                continue
            names = ", ".join(sorted(t.name for t in group))
            for tel in group:
                ctx.report("IST0160", tel, telemetries=names, namespace=ns or "")
