"""workloadgroup.ServiceAccountAnalyzer: a WorkloadGroup's template must name a ServiceAccount that exists."""

from __future__ import annotations

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register


@register
class ServiceAccountAnalyzer(Analyzer):
    """Checks that the ServiceAccount of a WorkloadGroup template exists in its namespace."""

    name = "workloadgroup.ServiceAccountAnalyzer"
    inputs = ("WorkloadGroup", "ServiceAccount")
    codes = ("MSH1759",)

    def analyze(self, ctx: Context) -> None:
        """Only namespaces whose ServiceAccounts are in the input are checked (the default one always exists)."""
        known = {sa.namespace for sa in ctx.resources.of_kind("ServiceAccount")}
        for group in ctx.resources.of_kind("WorkloadGroup"):
            account = str((group.spec.get("template") or {}).get("serviceAccount") or "")
            if not account or account == "default" or group.namespace not in known:
                continue
            if not ctx.resources.has("ServiceAccount", group.namespace, account):
                ctx.report("MSH1759", group, path="spec.template.serviceAccount", service_account=account,
                           namespace=group.namespace or "")
