"""mtls.PlaintextToStrictAnalyzer: clients that send plaintext to servers that require mTLS."""

from __future__ import annotations

from meshctl.analysis.context import Context
from meshctl.analysis.mtls import client_tls_mode, has_sidecar, workload_labels
from meshctl.analysis.mtlsview import DR_BACKEND_INPUTS, MtlsView
from meshctl.analysis.registry import Analyzer, register

NON_ISTIO_TLS = ("DISABLE", "SIMPLE", "MUTUAL")


@register
class PlaintextToStrictAnalyzer(Analyzer):
    """Finds DestinationRules that disable Istio mTLS towards workloads whose policy is STRICT."""

    name = "mtls.PlaintextToStrictAnalyzer"
    inputs = DR_BACKEND_INPUTS
    codes = ("MSH0201",)

    def analyze(self, ctx: Context) -> None:
        """Compare every DestinationRule's client TLS mode with the server's effective mode."""
        view = MtlsView.of(ctx)
        for rule, backend in view.rule_backends():
            mode = client_tls_mode(rule, backend.port)
            if mode not in NON_ISTIO_TLS or not has_sidecar(backend.workload, view.namespaces):
                continue
            port = backend.target_port if isinstance(backend.target_port, int) else None
            server = view.policies.effective(backend.workload.namespace,
                                             workload_labels(backend.workload), port)
            if server.mode == "STRICT":
                ctx.report("MSH0201", rule, path="spec.trafficPolicy.tls.mode", mode=mode,
                           host=rule.spec.get("host"), port=backend.port,
                           workload=f"{backend.workload.kind} {backend.workload.ref()}",
                           policy=server.source())
