"""k8sgateway.SelectorAnalyzer: policies that select Kubernetes gateway pods by label."""

from __future__ import annotations

from collections import defaultdict

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register
from meshctl.analysis.selectors import labels_contain

GATEWAY_NAME_LABEL = "gateway.networking.k8s.io/gateway-name"
POLICY_KINDS = ("AuthorizationPolicy", "RequestAuthentication", "Telemetry", "WasmPlugin")


@register
class SelectorAnalyzer(Analyzer):
    """Check that selectors are effective for Kubernetes gateway."""

    name = "k8sgateway.SelectorAnalyzer"
    inputs = (*POLICY_KINDS, "Pod")
    codes = ("IST0166",)

    def analyze(self, ctx: Context) -> None:
        """Report policies whose selector (without targetRef) matches a Gateway API gateway pod."""
        gateway_pods: dict[str | None, list[dict[str, str]]] = defaultdict(list)
        for pod in ctx.resources.of_kind("Pod"):
            if GATEWAY_NAME_LABEL in pod.labels:
                gateway_pods[pod.namespace].append(pod.labels)
        if not gateway_pods:
            return
        for kind in POLICY_KINDS:
            for policy in ctx.resources.of_kind(kind):
                spec = policy.spec
                selector = spec.get("selector")
                if spec.get("targetRef") or spec.get("targetRefs") or not isinstance(selector, dict):
                    continue
                for labels in gateway_pods.get(policy.namespace, ()):
                    if labels_contain(labels, selector.get("matchLabels")):
                        ctx.report("IST0166", policy, path="spec.selector",
                                   gateway=labels[GATEWAY_NAME_LABEL])
