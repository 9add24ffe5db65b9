"""telemetry.SelectorAnalyzer: selectors that match no pod, and pods selected twice."""

from __future__ import annotations

from collections import defaultdict

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register
from meshctl.analysis.selectors import selector_string
from meshctl.resource import Resource


@register
class SelectorAnalyzer(Analyzer):
    """Validates that telemetries that define a selector match at least one pod, and that there aren't multiple telemetry resources that select overlapping pods."""  # noqa: E501

    name = "telemetry.SelectorAnalyzer"
    inputs = ("Telemetry", "Pod")
    codes = ("IST0101", "IST0159")

    def analyze(self, ctx: Context) -> None:
        """Match each selector against the pods of its namespace; then report shared pods."""
        selected_by: dict[tuple[str | None, str], list[Resource]] = defaultdict(list)
        for tel in ctx.resources.of_kind("Telemetry"):
            selector = tel.spec.get("selector")
            match = selector.get("matchLabels") if isinstance(selector, dict) else None
            if not match:
                continue
            matched = ctx.resources.label_index("Pod", tel.namespace).select(match)
            for pod in matched:
                selected_by[(pod.namespace, pod.name)].append(tel)
            if not matched:
                ctx.report("IST0101", tel, path="spec.selector", ref_kind="selector",
                           ref_name=selector_string(match))
        for (ns, pod_name), tels in selected_by.items():
            if len(tels) < 2:
                continue
            names = ", ".join(sorted(t.name for t in tels))
            for tel in tels:
                ctx.report("IST0159", tel, path="spec.selector", telemetries=names, namespace=ns or "", pod=pod_name)
