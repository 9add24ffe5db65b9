"""serviceentry.WorkloadEntrySelectionAnalyzer: a WorkloadEntry should be an endpoint of some ServiceEntry."""

from __future__ import annotations

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register
from meshctl.analysis.selectors import labels_contain


@register
class WorkloadEntrySelectionAnalyzer(Analyzer):
    """Reports WorkloadEntries whose address no ServiceEntry of their namespace selects (workloadSelector)."""

    name = "serviceentry.WorkloadEntrySelectionAnalyzer"
    inputs = ("WorkloadEntry", "ServiceEntry", "Service")
    codes = ("MSH1758",)

    def analyze(self, ctx: Context) -> None:
        """A WorkloadEntry is reachable through a ServiceEntry workloadSelector or a Service selector."""
        selectors: dict[str, list[dict[str, str]]] = {}
        for se in ctx.resources.of_kind("ServiceEntry"):
            labels = (se.spec.get("workloadSelector") or {}).get("labels")
            if isinstance(labels, dict) and labels:
                selectors.setdefault(se.namespace or "", []).append(labels)
        for svc in ctx.resources.of_kind("Service"):
            labels = svc.spec.get("selector")
            if isinstance(labels, dict) and labels:
                selectors.setdefault(svc.namespace or "", []).append(labels)
        for entry in ctx.resources.of_kind("WorkloadEntry"):
            labels = entry.spec.get("labels") or {}
            if not isinstance(labels, dict):
                continue
            if not any(labels_contain(labels, sel) for sel in selectors.get(entry.namespace or "", [])):
                ctx.report("MSH1758", entry, path="spec.labels", address=str(entry.spec.get("address", "")))
