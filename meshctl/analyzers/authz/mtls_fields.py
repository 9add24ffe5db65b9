"""auth.MutualTLSFieldsAnalyzer: principals and namespaces in a rule need mTLS, which must not be disabled."""

from __future__ import annotations

from meshctl.analysis.context import Context
from meshctl.analysis.mtls import PeerAuthIndex
from meshctl.analysis.registry import Analyzer, register
from meshctl.analysis.selectors import LabelIndex
from meshctl.analyzers.authz.rule_fields import MTLS_CONDITION_KEYS, MTLS_SOURCE_FIELDS, condition_keys, source_values
from meshctl.resource import Resource


@register
class MutualTLSFieldsAnalyzer(Analyzer):
    """Reports AuthorizationPolicy rules on principals or namespaces for workloads whose PeerAuthentication disables mTLS."""  # noqa: E501

    name = "auth.MutualTLSFieldsAnalyzer"
    inputs = ("AuthorizationPolicy", "PeerAuthentication", "Pod")
    codes = ("MSH1762",)

    def analyze(self, ctx: Context) -> None:
        """Find the mode of the workloads a policy selects (namespace mode without pods); DISABLE is reported."""
        root = str(ctx.mesh_config.get("rootNamespace") or ctx.env.istio_namespace)
        modes = PeerAuthIndex(ctx.resources.of_kind("PeerAuthentication"), root)
        pods = ctx.resources.label_index("Pod")
        for policy in ctx.resources.of_kind("AuthorizationPolicy"):
            fields = [(path, field) for path, field, _ in source_values(policy, MTLS_SOURCE_FIELDS)]
            fields += [(path, key) for path, key in condition_keys(policy) if key in MTLS_CONDITION_KEYS]
            if not fields:
                continue
            disabled = self._disabled_for(policy, modes, pods, root)
            if disabled:
                path, field = fields[0]
                ctx.report("MSH1762", policy, path=path, field=field, workloads=disabled)

    @staticmethod
    def _disabled_for(policy: Resource, modes: PeerAuthIndex, pods: LabelIndex, root: str) -> str:
        """What the policy applies to that has mTLS disabled (empty when none)."""
        if policy.namespace == root:
            mode = modes.parent_mode(None)
            return "the mesh" if mode.mode == "DISABLE" else ""
        selector = (policy.spec.get("selector") or {}).get("matchLabels")
        selected = pods.select(selector, policy.namespace) if selector else []
        if selected:
            off = [p.name for p in selected if modes.effective(p.namespace, p.labels, None).mode == "DISABLE"]
            return ", ".join(sorted(off)[:3]) + (", ..." if len(off) > 3 else "") if off else ""
        if modes.parent_mode(policy.namespace).mode == "DISABLE":
            return f"namespace {policy.namespace}"
        return ""
