"""mtls.MutualWithoutSidecarAnalyzer: ISTIO_MUTUAL towards workloads that have no sidecar."""

from __future__ import annotations

from meshctl.analysis.context import Context
from meshctl.analysis.mtls import client_tls_mode, has_sidecar
from meshctl.analysis.mtlsview import DR_BACKEND_INPUTS, MtlsView
from meshctl.analysis.registry import Analyzer, register


@register
class MutualWithoutSidecarAnalyzer(Analyzer):
    """Finds DestinationRules that require Istio mTLS to workloads without an Istio proxy."""

    name = "mtls.MutualWithoutSidecarAnalyzer"
    inputs = DR_BACKEND_INPUTS
    codes = ("MSH0202",)

    def analyze(self, ctx: Context) -> None:
        """Report each DestinationRule once per workload without a sidecar."""
        view = MtlsView.of(ctx)
        seen: set[tuple[int, str]] = set()
        for rule, backend in view.rule_backends():
            workload = f"{backend.workload.kind} {backend.workload.ref()}"
            if (id(rule), workload) in seen or client_tls_mode(rule, backend.port) != "ISTIO_MUTUAL":
                continue
            seen.add((id(rule), workload))
            if not has_sidecar(backend.workload, view.namespaces):
                ctx.report("MSH0202", rule, path="spec.trafficPolicy.tls.mode",
                           host=rule.spec.get("host"), workload=workload)
