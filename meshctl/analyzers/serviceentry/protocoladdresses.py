"""serviceentry.Analyzer: TCP ServiceEntries need addresses unless DNS auto-allocation gives them one."""

from __future__ import annotations

from typing import Any

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register
from meshctl.resource import Resource

ALLOCATION_FLAGS = ("ISTIO_META_DNS_AUTO_ALLOCATE", "PILOT_ENABLE_IP_AUTOALLOCATE")


def auto_allocated(mesh_config: dict[str, Any]) -> bool:
    """Whether proxies capture DNS and addresses are auto-allocated (meshConfig proxyMetadata)."""
    metadata = (mesh_config.get("defaultConfig") or {}).get("proxyMetadata") or {}
    if str(metadata.get("ISTIO_META_DNS_CAPTURE", "")) != "true":
        return False
    return any(str(metadata.get(flag, "")) == "true" for flag in ALLOCATION_FLAGS)


def has_addresses(se: Resource) -> bool:
    """Whether the ServiceEntry has addresses in its spec or allocated in its status."""
    status = se.body.get("status") if isinstance(se.body.get("status"), dict) else {}
    return bool(se.spec.get("addresses")) or bool((status or {}).get("addresses"))


def tcp_like(port: Any) -> bool:
    """A port with no protocol or TCP (any case)."""
    return isinstance(port, dict) and str(port.get("protocol") or "").upper() in ("", "TCP")


@register
class ProtocolAddressesAnalyzer(Analyzer):
    """Checks the validity of ServiceEntry."""

    name = "serviceentry.Analyzer"
    inputs = ("ServiceEntry",)
    codes = ("IST0134",)

    def analyze(self, ctx: Context) -> None:
        """Report ServiceEntries with TCP ports and no addresses (once each)."""
        if auto_allocated(ctx.mesh_config):
            return
        for se in ctx.resources.of_kind("ServiceEntry"):
            if has_addresses(se):
                continue
            ports = se.spec.get("ports") or []
            first = next((i for i, p in enumerate(ports) if tcp_like(p)), None)
            if first is not None:
                ctx.report("IST0134", se, path=f"spec.ports[{first}]", port=ports[first].get("number"))
