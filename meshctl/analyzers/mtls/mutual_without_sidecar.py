"""mtls.MutualWithoutSidecarAnalyzer: ISTIO_MUTUAL towards workloads that have no sidecar."""

from __future__ import annotations

from meshctl.analysis.context import Context
from meshctl.analysis.mtls import client_tls_mode, has_sidecar
from meshctl.analysis.mtlsview import MtlsView
from meshctl.analysis.registry import Analyzer, register


@register
class MutualWithoutSidecarAnalyzer(Analyzer):
    """Finds DestinationRules that require Istio mTLS to workloads without an Istio proxy."""

    name = "mtls.MutualWithoutSidecarAnalyzer"
    inputs = ("DestinationRule", "PeerAuthentication", "Service", "Namespace", *("Pod", "Deployment",
              "StatefulSet", "DaemonSet"))
    codes = ("MSH0202",)

    def analyze(self, ctx: Context) -> None:
        """Report each DestinationRule once per workload without a sidecar."""
        view = MtlsView(ctx)
        for rule in ctx.resources.of_kind("DestinationRule"):
            service = view.service_for_host(str(rule.spec.get("host", "")), rule.namespace)
            if service is None:
                continue
            seen: set[str] = set()
            for backend in view.backends(service):
                workload = f"{backend.workload.kind} {backend.workload.ref()}"
                if workload in seen or client_tls_mode(rule, backend.port) != "ISTIO_MUTUAL":
                    continue
                seen.add(workload)
                if not has_sidecar(backend.workload, view.namespaces):
                    ctx.report("MSH0202", rule, path="spec.trafficPolicy.tls.mode",
                               host=rule.spec.get("host"), workload=workload)
