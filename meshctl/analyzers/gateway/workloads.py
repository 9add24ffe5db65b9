"""What the gateway analyzers share: a Gateway's selector, servers and the pods it selects."""

from __future__ import annotations

from typing import Any

from meshctl.analysis.selectors import LabelIndex, selector_string
from meshctl.conventions.ports import port_number
from meshctl.resource import Resource


def gateway_selector(gateway: Resource) -> dict[str, str]:
    """``spec.selector`` as a label map."""
    selector = gateway.spec.get("selector") or {}
    return {str(k): str(v) for k, v in selector.items()} if isinstance(selector, dict) else {}


def gateway_selector_text(gateway: Resource) -> str:
    """The selector as Kubernetes prints it (``istio=ingressgateway``)."""
    return selector_string(gateway_selector(gateway))


def servers(gateway: Resource) -> list[dict[str, Any]]:
    """``spec.servers`` that are mappings."""
    return [s for s in gateway.spec.get("servers") or [] if isinstance(s, dict)]


def server_port(server: dict[str, Any]) -> int | None:
    """A server's port number; None without a port, 0 when the number is missing."""
    return port_number(server)


def selected_pods(pods: LabelIndex, gateway: Resource) -> list[Resource]:
    """Pods in any namespace that the Gateway's selector matches (all pods for an empty one)."""
    return pods.select(gateway_selector(gateway))
