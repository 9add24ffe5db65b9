"""mtls.PermissiveUnderStrictAnalyzer: policies that weaken a STRICT mesh or namespace."""

from __future__ import annotations

from meshctl.analysis.context import Context
from meshctl.analysis.mtls import RELAXED, PeerAuthIndex, declared_mode, has_selector, port_modes
from meshctl.analysis.registry import Analyzer, register
from meshctl.resource import Resource


@register
class PermissiveUnderStrictAnalyzer(Analyzer):
    """Warns when a namespace, workload or port policy relaxes mTLS below a STRICT parent."""

    name = "mtls.PermissiveUnderStrictAnalyzer"
    inputs = ("PeerAuthentication",)
    codes = ("MSH0203",)

    def analyze(self, ctx: Context) -> None:
        """Compare each policy with the mode its parent scope sets."""
        root = str(ctx.mesh_config.get("rootNamespace") or ctx.env.istio_namespace)
        index = PeerAuthIndex(ctx.resources.of_kind("PeerAuthentication"), root)
        mesh = index.mesh_policy()
        for policy in ctx.resources.of_kind("PeerAuthentication"):
            if policy is mesh:
                continue
            if has_selector(policy):
                self._workload(ctx, index, policy)
            elif mesh is not None and declared_mode(mesh) == "STRICT" and declared_mode(policy) in RELAXED:
                ctx.report("MSH0203", policy, path="spec.mtls.mode", mode=declared_mode(policy),
                           scope=f"namespace {policy.namespace}", parent=f"mesh policy {mesh.ref()}")

    @staticmethod
    def _workload(ctx: Context, index: PeerAuthIndex, policy: Resource) -> None:
        parent = index.parent_mode(policy.namespace)
        if parent.mode != "STRICT":
            return
        where = f"{parent.level} policy {parent.policy.ref()}" if parent.policy else parent.level
        if declared_mode(policy) in RELAXED:
            ctx.report("MSH0203", policy, path="spec.mtls.mode", mode=declared_mode(policy),
                       scope="the selected workloads", parent=where)
        for port, mode in sorted(port_modes(policy).items()):
            if mode in RELAXED:
                ctx.report("MSH0203", policy, path=f"spec.portLevelMtls.{port}", mode=mode,
                           scope=f"port {port} of the selected workloads", parent=where)
