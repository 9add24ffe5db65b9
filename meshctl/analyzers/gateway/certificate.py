"""gateway.CertificateAnalyzer: two Gateways on the same workload should not share a certificate."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register
from meshctl.analyzers.gateway.workloads import gateway_selector, servers
from meshctl.resource import Resource


def certificate_key(tls: dict[str, Any]) -> tuple[str, ...] | None:
    """What identifies a server's certificate: its credentialName, or its cert and key files."""
    credential = str(tls.get("credentialName") or "")
    if credential:
        return ("credential", credential)
    cert, key = str(tls.get("serverCertificate") or ""), str(tls.get("privateKey") or "")
    return ("files", cert, key) if cert and key else None


def selector_within(small: dict[str, str], large: dict[str, str]) -> bool:
    """Whether every pair of ``small`` is in ``large``."""
    return all(large.get(k) == v for k, v in small.items())


def by_certificate(gateways: list[Resource]) -> dict[tuple[str, ...], list[Resource]]:
    """Gateways by the certificates their servers use (each gateway once per certificate)."""
    out: dict[tuple[str, ...], list[Resource]] = defaultdict(list)
    for gateway in gateways:
        tls = [s["tls"] for s in servers(gateway) if isinstance(s.get("tls"), dict)]
        for key in {k for k in map(certificate_key, tls) if k}:
            out[key].append(gateway)
    return out


@register
class CertificateAnalyzer(Analyzer):
    """Checks a gateway certificate."""

    name = "gateway.CertificateAnalyzer"
    inputs = ("Gateway",)
    codes = ("IST0138",)

    def analyze(self, ctx: Context) -> None:
        """Report Gateway pairs on overlapping workloads whose servers use the same certificate."""
        for sharing in by_certificate(ctx.resources.of_kind("Gateway")).values():
            for gateway in sharing:
                selector = gateway_selector(gateway)
                for other in sharing:
                    if other is not gateway and selector_within(selector, gateway_selector(other)):
                        ctx.report("IST0138", gateway, path="metadata.name",
                                   gateways=f"{gateway.ref()}, {other.ref()}")
