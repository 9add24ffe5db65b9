"""ztunnel's ``/config_dump`` (admin port 15000) as plain data.

The dump is one JSON object: ``workloads``, ``services`` and ``policies`` (the proxy state istiod
sent over WDS/xDS), ``certificates`` (one entry per workload identity, with ``state``,
``certChain`` and ``rootCerts``), ``workloadState`` (pods ztunnel captured, with connections),
``version`` (build info) and ``config`` (ztunnel's own settings). Older ztunnels keyed workloads
by address (``by_addr``/``by_vip``) and used snake_case certificate fields; both are read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from meshctl.errors import InputError

SECTIONS = ("workloads", "services", "policies", "certificates")
#: Older key -> current key.
_RENAMED = {"by_addr": "workloads", "by_vip": "services", "cert_chain": "certChain", "ca_cert": "rootCerts",
            "serial_number": "serialNumber", "valid_from": "validFrom", "expiration_time": "expirationTime"}


@dataclass(frozen=True)
class ZtunnelDump:
    """The sections of one ztunnel config dump, and where it came from."""

    origin: str
    workloads: list[dict[str, Any]] = field(default_factory=list)
    services: list[dict[str, Any]] = field(default_factory=list)
    policies: list[dict[str, Any]] = field(default_factory=list)
    certificates: list[dict[str, Any]] = field(default_factory=list)
    version: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    def section(self, name: str) -> list[dict[str, Any]]:
        """One of :data:`SECTIONS` by name."""
        items: list[dict[str, Any]] = getattr(self, name)
        return items


def _renamed(value: Any) -> Any:
    if isinstance(value, dict):
        return {_RENAMED.get(k, k): _renamed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_renamed(v) for v in value]
    return value


def _items(value: Any, origin: str, name: str) -> list[dict[str, Any]]:
    """A section as a list of objects (older dumps: an object keyed by address)."""
    if value is None:
        return []
    if isinstance(value, dict):
        value = list(value.values())
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise InputError(f"{origin} is not a ztunnel config dump: {name} is not a list of objects")
    return [dict(v) for v in value]


def parse_dump(text: str | bytes, origin: str) -> ZtunnelDump:
    """Parse a dump's text; InputError (exit 65) when it is not JSON or not a ztunnel dump."""
    from meshctl.sources.loading import json_value

    try:
        data = json_value(text, origin)
    except InputError as exc:
        detail = str(exc).removeprefix(origin).lstrip(":0123456789 ")
        raise InputError(f"{origin} is not a readable ztunnel config dump ({detail})") from None
    return from_value(data, origin)


def from_value(data: Any, origin: str) -> ZtunnelDump:
    """A parsed JSON value as a ZtunnelDump."""
    if not isinstance(data, dict):
        raise InputError(f"{origin} is not a ztunnel config dump: expected a JSON object")
    data = _renamed(data)
    if not any(key in data for key in SECTIONS):
        hint = " (it looks like an Envoy dump; use meshctl proxy-config)" if "configs" in data else ""
        raise InputError(f"{origin} is not a ztunnel config dump: it has no workloads, services, policies "
                         f"or certificates{hint}")
    version = data.get("version")
    return ZtunnelDump(origin, workloads=_items(data.get("workloads"), origin, "workloads"),
                       services=_items(data.get("services"), origin, "services"),
                       policies=_items(data.get("policies"), origin, "policies"),
                       certificates=_items(data.get("certificates"), origin, "certificates"),
                       version=version if isinstance(version, dict) else {}, raw=data)
