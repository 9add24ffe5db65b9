"""deprecation.DeprecationAnalyzer: deprecated Istio fields and removed Istio types."""

from __future__ import annotations

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register
from meshctl.resource import Resource

REMOVED_CRDS = frozenset({
    ("rbac.istio.io", "ClusterRbacConfig"),
    ("rbac.istio.io", "RbacConfig"),
    ("rbac.istio.io", "ServiceRole"),
    ("rbac.istio.io", "ServiceRoleBinding"),
})


def _delay_percent(route: object) -> float:
    fault = route.get("fault") if isinstance(route, dict) else None
    delay = fault.get("delay") if isinstance(fault, dict) else None
    value = delay.get("percent") if isinstance(delay, dict) else None
    return float(value) if isinstance(value, int | float) else 0.0


@register
class DeprecationAnalyzer(Analyzer):
    """Checks for deprecated Istio types and fields."""

    name = "deprecation.DeprecationAnalyzer"
    inputs = ("VirtualService", "Sidecar", "CustomResourceDefinition")
    codes = ("IST0002",)

    def analyze(self, ctx: Context) -> None:
        """Report deprecated VirtualService and Sidecar fields and removed Istio CRDs."""
        for vs in ctx.resources.of_kind("VirtualService"):
            self._virtual_service(ctx, vs)
        for sidecar in ctx.resources.of_kind("Sidecar"):
            policy = sidecar.spec.get("outboundTrafficPolicy")
            if isinstance(policy, dict) and policy.get("egressProxy") is not None:
                ctx.report("IST0002", sidecar, path="spec.outboundTrafficPolicy.egressProxy",
                           detail="Sidecar outboundTrafficPolicy.egressProxy is no longer honoured")
        for crd in ctx.resources.of_kind("CustomResourceDefinition"):
            group = str(crd.spec.get("group", ""))
            kind = str((crd.spec.get("names") or {}).get("kind", ""))
            if (group, kind) in REMOVED_CRDS:
                ctx.report("IST0002", crd, path="spec.names.kind",
                           detail=f"the custom resource type {group} {kind} has been removed from Istio")

    @staticmethod
    def _virtual_service(ctx: Context, vs: Resource) -> None:
        for index, route in enumerate(vs.spec.get("http") or []):
            if _delay_percent(route) > 0:
                ctx.report("IST0002", vs, path=f"spec.http[{index}].fault.delay.percent",
                           detail="fault.delay.percent is replaced by fault.delay.percentage")
