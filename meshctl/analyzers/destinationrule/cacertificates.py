"""destinationrule.CaCertificateAnalyzer: SIMPLE/MUTUAL TLS should verify the server."""

from __future__ import annotations

from typing import Any

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register
from meshctl.resource import Resource

VERIFYING_MODES = ("SIMPLE", "MUTUAL")


def unverified(tls: Any, dr: Resource) -> str:
    """The TLS mode when it originates TLS without a CA to check the server against, else empty.

    A credentialName on a DestinationRule with a workloadSelector counts as verification.
    """
    if not isinstance(tls, dict):
        return ""
    mode = str(tls.get("mode") or "")
    if mode not in VERIFYING_MODES or tls.get("caCertificates"):
        return ""
    if tls.get("credentialName") and dr.spec.get("workloadSelector") is not None:
        return ""
    return mode


def _port_text(port: Any) -> str:
    number = port.get("number") if isinstance(port, dict) else None
    return f"number:{number}" if number else ""


@register
class CaCertificateAnalyzer(Analyzer):
    """Checks if caCertificates is set when TLS mode is SIMPLE/MUTUAL."""

    name = "destinationrule.CaCertificateAnalyzer"
    inputs = ("DestinationRule",)
    codes = ("IST0128", "IST0129")

    def analyze(self, ctx: Context) -> None:
        """Report destination-level and port-level TLS settings without caCertificates."""
        for dr in ctx.resources.of_kind("DestinationRule"):
            policy = dr.spec.get("trafficPolicy") or {}
            host = str(dr.spec.get("host") or "")
            mode = unverified(policy.get("tls"), dr)
            if mode:
                ctx.report("IST0128", dr, path="spec.trafficPolicy.tls", mode=mode, host=host)
            for index, setting in enumerate(policy.get("portLevelSettings") or []):
                if not isinstance(setting, dict):
                    continue
                mode = unverified(setting.get("tls"), dr)
                if mode:
                    ctx.report("IST0129", dr, path=f"spec.trafficPolicy.portLevelSettings[{index}].tls",
                               mode=mode, host=host, port=_port_text(setting.get("port")))
