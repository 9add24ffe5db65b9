"""service.PortNameAnalyzer: Service ports should say their protocol."""

from __future__ import annotations

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register

PROTOCOL_PREFIXES = ("http", "http2", "https", "grpc", "grpc-web", "mongo", "redis", "mysql",
                     "tcp", "tls", "udp")


_PROTOCOLS = frozenset(PROTOCOL_PREFIXES)


def names_protocol(name: str) -> bool:
    """Whether a port name is ``<protocol>`` or ``<protocol>-<suffix>``."""
    head = name.lower()
    return head in _PROTOCOLS or head.partition("-")[0] in _PROTOCOLS


@register
class PortNameAnalyzer(Analyzer):
    """Checks that Service port names follow Istio's protocol naming convention."""

    name = "service.PortNameAnalyzer"
    inputs = ("Service",)
    codes = ("IST0118", "IST0150")

    def analyze(self, ctx: Context) -> None:
        """Report ports without a protocol prefix or appProtocol."""
        for svc in ctx.resources.of_kind("Service"):
            if svc.namespace == ctx.env.istio_namespace:
                continue
            external = svc.spec.get("type") == "ExternalName"
            for index, port in enumerate(svc.spec.get("ports") or []):
                if port.get("appProtocol") or names_protocol(str(port.get("name", ""))):
                    continue
                path = f"spec.ports[{index}]"
                if external:
                    ctx.report("IST0150", svc, path=path, port=port.get("port"))
                else:
                    ctx.report("IST0118", svc, path=path, port=port.get("port"),
                               port_name=port.get("name", ""))
