"""The pod annotations Istio's injector refuses: bad CIDRs, ports, modes and numbers.

An invalid value is an InputError (exit 65) naming the annotation, the parameter it
sets and the value, the way istiod rejects the pod instead of injecting it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Mapping

from meshctl.errors import InputError
from meshctl.inject import annotations as a

Check = Callable[[str], str | None]


def _items(text: str) -> list[str]:
    return [p.strip() for p in text.split(",") if p.strip()]


def _cidrs(text: str, wildcard: bool) -> str | None:
    if wildcard and text.strip() == "*":
        return None
    for item in _items(text):
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            return f"{item!r} is not a CIDR" + (" (nor *)" if wildcard else "")
    return None


def _ports(text: str, wildcard: bool) -> str | None:
    if wildcard and text.strip() == "*":
        return None
    for item in _items(text):
        if not item.isdigit() or not 0 < int(item) <= 65535:
            return f"{item!r} is not a port number (1-65535)" + (" (nor *)" if wildcard else "")
    return None


def _uint(text: str) -> str | None:
    stripped = text.strip()
    return None if stripped.isdigit() and int(stripped) < 2**32 else f"{text!r} is not a non-negative integer"


def _status_port(text: str) -> str | None:
    stripped = text.strip()
    return None if stripped.isdigit() and int(stripped) <= 65535 else f"{text!r} is not a port (0-65535)"


def _mode(text: str) -> str | None:
    return None if text in ("REDIRECT", "TPROXY", "NONE") else f"{text!r} is not REDIRECT, TPROXY or NONE"


def _interfaces(text: str) -> str | None:
    bad = [i for i in _items(text) if not i.replace("-", "").replace("_", "").replace(".", "").isalnum()]
    return f"{bad[0]!r} is not an interface name" if bad else None


#: annotation -> (the injector parameter it sets, its check)
CHECKS: dict[str, tuple[str, Check]] = {
    a.INCLUDE_OUTBOUND_IP_RANGES: ("includeIPRanges", lambda v: _cidrs(v, True)),
    a.EXCLUDE_OUTBOUND_IP_RANGES: ("excludeIPRanges", lambda v: _cidrs(v, False)),
    a.INCLUDE_INBOUND_PORTS: ("includeInboundPorts", lambda v: _ports(v, True)),
    a.EXCLUDE_INBOUND_PORTS: ("excludeInboundPorts", lambda v: _ports(v, False)),
    a.EXCLUDE_OUTBOUND_PORTS: ("excludeOutboundPorts", lambda v: _ports(v, False)),
    a.INCLUDE_OUTBOUND_PORTS: ("includeOutboundPorts", lambda v: _ports(v, True)),
    a.INTERCEPTION_MODE: ("interceptionMode", _mode),
    a.STATUS_PORT: ("statusPort", _status_port),
    "readiness.status.sidecar.istio.io/initialDelaySeconds": ("readinessInitialDelaySeconds", _uint),
    "readiness.status.sidecar.istio.io/periodSeconds": ("readinessPeriodSeconds", _uint),
    "readiness.status.sidecar.istio.io/failureThreshold": ("readinessFailureThreshold", _uint),
    "readiness.status.sidecar.istio.io/applicationPorts": ("readinessApplicationPorts", lambda v: _ports(v, False)),
    a.KUBEVIRT_INTERFACES: ("kubevirtInterfaces", _interfaces),
    "istio.io/reroute-virtual-interfaces": ("rerouteVirtualInterfaces", _interfaces),
    "traffic.sidecar.istio.io/excludeInterfaces": ("excludeInterfaces", _interfaces),
}


def check_annotations(annotations: Mapping[str, object], where: str = "") -> None:
    """InputError for the first annotation whose value Istio's injector would reject."""
    for key, (parameter, check) in CHECKS.items():
        if key not in annotations:
            continue
        value = str(annotations[key])
        problem = check(value)
        if problem:
            prefix = f"{where}: " if where else ""
            raise InputError(f"{prefix}annotation {key} ({parameter}) has an invalid value {value!r}: {problem}")
