"""ambient.PolicyTargetAnalyzer: policy targetRefs must name an existing Service, ServiceEntry, Gateway or class."""

from __future__ import annotations

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register
from meshctl.analyzers.ambient.layer7 import POLICY_KINDS, target_refs
from meshctl.analyzers.k8sgateway.gatewayclass import ISTIO_CLASSES
from meshctl.analyzers.k8sgateway.refs import deployed_gateways

#: targetRef kind -> (kind key, namespaced)
TARGETS = {"Service": ("Service", True), "ServiceEntry": ("ServiceEntry", True),
           "Gateway": ("KubernetesGateway", True), "GatewayClass": ("GatewayClass", False)}


@register
class PolicyTargetAnalyzer(Analyzer):
    """Checks that AuthorizationPolicy, RequestAuthentication, Telemetry and WasmPlugin targetRefs name existing objects."""  # noqa: E501

    name = "ambient.PolicyTargetAnalyzer"
    inputs = (*POLICY_KINDS, "Service", "ServiceEntry", "KubernetesGateway", "GatewayClass", "Pod")
    codes = ("MSH1710",)

    def analyze(self, ctx: Context) -> None:
        """Resolve each targetRef in the policy's namespace (a Gateway whose pods exist counts as existing)."""
        deployed = deployed_gateways(ctx.resources.of_kind("Pod"))
        for kind in POLICY_KINDS:
            for policy in ctx.resources.of_kind(kind):
                for i, ref in enumerate(target_refs(policy.spec)):
                    target = TARGETS.get(str(ref.get("kind", "")))
                    if target is None:
                        continue
                    key, namespaced = target
                    namespace = (policy.namespace if namespaced else None)
                    name = str(ref.get("name", ""))
                    if key == "GatewayClass" and name in ISTIO_CLASSES:
                        continue  # istiod creates its own classes
                    if key == "KubernetesGateway" and (namespace or "", name) in deployed:
                        continue
                    if not ctx.resources.has(key, namespace, name):
                        where = f"{namespace}/{name}" if namespaced else name
                        ctx.report("MSH1710", policy, path=f"spec.targetRefs[{i}]",
                                   target=f"{ref.get('kind')} {where}")
