"""mtls.PolicyScopeAnalyzer: PeerAuthentications that select nothing, are ignored, or collide."""

from __future__ import annotations

from collections import defaultdict

from meshctl.analysis.context import Context
from meshctl.analysis.mtls import WORKLOAD_KINDS, has_selector, policy_age, port_modes, workload_labels
from meshctl.analysis.registry import Analyzer, register
from meshctl.analysis.selectors import label_selector_matches, selector_string
from meshctl.resource import Resource


@register
class PolicyScopeAnalyzer(Analyzer):
    """Checks PeerAuthentication selectors, selector-less port settings and duplicate policies."""

    name = "mtls.PolicyScopeAnalyzer"
    inputs = ("PeerAuthentication", *WORKLOAD_KINDS)
    codes = ("MSH0204", "MSH0205", "MSH0206")

    def analyze(self, ctx: Context) -> None:
        """Report each kind of scope problem."""
        workloads: dict[str | None, list[Resource]] = defaultdict(list)
        for kind in WORKLOAD_KINDS:
            for res in ctx.resources.of_kind(kind):
                workloads[res.namespace].append(res)
        wide: dict[str | None, list[Resource]] = defaultdict(list)
        for policy in sorted(ctx.resources.of_kind("PeerAuthentication"), key=policy_age):
            if has_selector(policy):
                self._selector(ctx, policy, workloads.get(policy.namespace, []))
                continue
            wide[policy.namespace].append(policy)
            for port in sorted(port_modes(policy)):
                ctx.report("MSH0205", policy, path=f"spec.portLevelMtls.{port}", port=port)
        for namespace, policies in wide.items():
            if len(policies) > 1:
                names = ", ".join(p.name for p in policies)
                for policy in policies[1:]:
                    ctx.report("MSH0206", policy, policies=names, scope=f"namespace {namespace}")

    @staticmethod
    def _selector(ctx: Context, policy: Resource, workloads: list[Resource]) -> None:
        selector = policy.spec.get("selector") or {}
        if not any(label_selector_matches(selector, workload_labels(w)) for w in workloads):
            ctx.report("MSH0204", policy, path="spec.selector",
                       selector=selector_string(selector.get("matchLabels")), namespace=policy.namespace)
