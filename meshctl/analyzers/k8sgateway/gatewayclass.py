"""k8sgateway.GatewayClassAnalyzer: a Gateway's class must exist or be one Istio provides."""

from __future__ import annotations

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register

#: The GatewayClasses istiod creates and serves itself.
ISTIO_CLASSES = frozenset({"istio", "istio-waypoint", "istio-remote", "istio-east-west"})


@register
class GatewayClassAnalyzer(Analyzer):
    """Checks that every Gateway names a GatewayClass that exists or that Istio provides."""

    name = "k8sgateway.GatewayClassAnalyzer"
    inputs = ("KubernetesGateway", "GatewayClass")
    codes = ("MSH1737",)

    def analyze(self, ctx: Context) -> None:
        """Report Gateways whose class is neither defined nor built into Istio."""
        classes = {gc.name for gc in ctx.resources.of_kind("GatewayClass")}
        for gateway in ctx.resources.of_kind("KubernetesGateway"):
            name = str(gateway.spec.get("gatewayClassName", ""))
            if name and name not in classes and name not in ISTIO_CLASSES:
                ctx.report("MSH1737", gateway, path="spec.gatewayClassName", gateway_class=name)
