"""k8sgateway.BackendRefAnalyzer: route backendRefs must name an existing Service and port."""

from __future__ import annotations

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register
from meshctl.analyzers.k8sgateway.refs import ROUTE_KINDS, backend_refs, is_service


@register
class BackendRefAnalyzer(Analyzer):
    """Checks that HTTPRoute and GRPCRoute backendRefs name an existing Service and one of its ports."""

    name = "k8sgateway.BackendRefAnalyzer"
    inputs = (*ROUTE_KINDS, "Service")
    codes = ("MSH1733", "MSH1734")

    def analyze(self, ctx: Context) -> None:
        """Resolve every Service backendRef (rules and request mirrors)."""
        for kind in ROUTE_KINDS:
            for route in ctx.resources.of_kind(kind):
                for ref in backend_refs(route):
                    if not is_service(ref.group, ref.kind):
                        continue
                    svc = ctx.resources.get("Service", ref.namespace or None, ref.name)
                    if svc is None:
                        ctx.report("MSH1733", route, path=ref.path, service=f"{ref.namespace}/{ref.name}")
                        continue
                    ports = {p.get("port") for p in svc.spec.get("ports") or [] if isinstance(p, dict)}
                    if ref.port is not None and ref.port not in ports:
                        ctx.report("MSH1734", route, path=ref.path, service=svc.ref(), port=ref.port,
                                   ports=", ".join(str(p) for p in sorted(p for p in ports if isinstance(p, int)))
                                   or "none")
