"""gateway.IngressGatewayPortAnalyzer: a Gateway's ports must be exposed by its workload's Service."""

from __future__ import annotations

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register
from meshctl.analysis.selectors import labels_contain
from meshctl.analyzers.gateway.workloads import (
    gateway_selector_text,
    selected_pods,
    server_port,
    servers,
)
from meshctl.resource import Resource


def tcp_ports_for(pods: list[Resource], services: dict[str | None, list[Resource]]) -> set[int]:
    """TCP ports of every Service that selects one of ``pods`` in its namespace.

    As in istioctl, a port without an explicit ``protocol: TCP`` does not count (the API
    server would default it; manifests read from files are not defaulted).
    """
    ports: set[int] = set()
    for pod in pods:
        for svc in services.get(pod.namespace, []):
            selector = svc.spec.get("selector") or {}
            if not labels_contain(pod.labels, selector):
                continue
            for port in svc.spec.get("ports") or []:
                if isinstance(port, dict) and port.get("protocol") == "TCP":
                    ports.add(_int(port.get("port")))
                    ports.add(_target_port(port, pod))
    return ports - {0}


def _int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0


def _target_port(port: dict[str, object], pod: Resource) -> int:
    """The pod port a Service port sends to: ``targetPort`` (a number, or a container port's name),
    else the port itself. A gateway listens on the pod port, so either matches a server port."""
    target = port.get("targetPort")
    if target is None:
        return _int(port.get("port"))
    if isinstance(target, int) or str(target).isdigit():
        return _int(target)
    for container in pod.spec.get("containers") or []:
        for cport in (container.get("ports") or []) if isinstance(container, dict) else []:
            if isinstance(cport, dict) and cport.get("name") == target:
                return _int(cport.get("containerPort"))
    return 0


@register
class IngressGatewayPortAnalyzer(Analyzer):
    """Checks a gateway's ports against the gateway's Kubernetes service ports."""

    name = "gateway.IngressGatewayPortAnalyzer"
    inputs = ("Gateway", "Pod", "Service")
    codes = ("IST0101", "IST0162")

    def analyze(self, ctx: Context) -> None:
        """Report gateways selecting no pod, and server ports no selecting Service exposes."""
        pods = ctx.resources.label_index("Pod")
        services: dict[str | None, list[Resource]] = {}
        for svc in ctx.resources.of_kind("Service"):
            services.setdefault(svc.namespace, []).append(svc)
        for gateway in ctx.resources.of_kind("Gateway"):
            matched = selected_pods(pods, gateway)
            selector = gateway_selector_text(gateway)
            if not matched:
                ctx.report("IST0101", gateway, path="spec.selector", ref_kind="selector",
                           ref_name=selector)
                continue
            ports = tcp_ports_for(matched, services)
            for i, server in enumerate(servers(gateway)):
                number = server_port(server)
                if number is not None and number not in ports:
                    ctx.report("IST0162", gateway, path=f"spec.servers[{i}].port", port=number,
                               gateway=gateway.ref())
