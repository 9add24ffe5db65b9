"""k8sgateway.RouteParentAnalyzer: a route's parentRefs must name a Gateway listener that admits it."""

from __future__ import annotations

from typing import Any

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register
from meshctl.analyzers.k8sgateway.refs import (
    GATEWAY_GROUP,
    ROUTE_KINDS,
    deployed_gateways,
    dicts,
    is_service,
    listener_admits_kind,
    listener_admits_namespace,
)
from meshctl.resource import Resource


def _matching_listeners(gateway: Resource, ref: dict[str, Any]) -> tuple[list[dict[str, Any]], str]:
    """The listeners a parentRef selects by sectionName and port, and what was asked for."""
    listeners = dicts(gateway.spec.get("listeners"))
    asked = []
    if ref.get("sectionName"):
        listeners = [lst for lst in listeners if lst.get("name") == ref["sectionName"]]
        asked.append(f"listener {ref['sectionName']}")
    if isinstance(ref.get("port"), int):
        listeners = [lst for lst in listeners if lst.get("port") == ref["port"]]
        asked.append(f"port {ref['port']}")
    return listeners, " on ".join(asked)


@register
class RouteParentAnalyzer(Analyzer):
    """Checks that route parentRefs name an existing Gateway listener (or Service) that allows the route."""

    name = "k8sgateway.RouteParentAnalyzer"
    inputs = (*ROUTE_KINDS, "KubernetesGateway", "Service", "Namespace", "Pod")
    codes = ("MSH1731", "MSH1732")

    def analyze(self, ctx: Context) -> None:
        """Resolve every parentRef of every HTTPRoute and GRPCRoute."""
        deployed = deployed_gateways(ctx.resources.of_kind("Pod"))
        for kind in ROUTE_KINDS:
            for route in ctx.resources.of_kind(kind):
                for i, ref in enumerate(dicts(route.spec.get("parentRefs"))):
                    self._check(ctx, route, ref, f"spec.parentRefs[{i}]", deployed)

    @staticmethod
    def _check(ctx: Context, route: Resource, ref: dict[str, Any], path: str,
               deployed: set[tuple[str, str]]) -> None:
        namespace = str(ref.get("namespace") or route.namespace or "")
        name = str(ref.get("name", ""))
        group, kind = str(ref.get("group", GATEWAY_GROUP)), str(ref.get("kind", "Gateway"))
        if is_service(group, kind):
            if not ctx.resources.has("Service", namespace or None, name):
                ctx.report("MSH1731", route, path=path, parent=f"Service {namespace}/{name}", detail="does not exist")
            return
        if kind != "Gateway" or group != GATEWAY_GROUP:
            return
        gateway = ctx.resources.get("KubernetesGateway", namespace or None, name)
        if gateway is None and (namespace, name) in deployed:
            return  # its pods exist, so the Gateway does; its listeners are not in the input
        if gateway is None:
            ctx.report("MSH1731", route, path=path, parent=f"Gateway {namespace}/{name}", detail="does not exist")
            return
        listeners, asked = _matching_listeners(gateway, ref)
        if not listeners:
            ctx.report("MSH1731", route, path=path, parent=f"Gateway {namespace}/{name}",
                       detail=f"has no {asked or 'listener'}")
            return
        route_ns = route.namespace or ""
        ns_obj = ctx.resources.get("Namespace", None, route_ns)
        admits = [listener_admits_namespace(lst, gateway, route_ns, ns_obj) for lst in listeners]
        if any(a is None for a in admits):
            return
        if not any(admits):
            ctx.report("MSH1732", route, path=path, gateway=gateway.ref(),
                       reason=f"its allowedRoutes do not admit routes from namespace {route_ns}")
        elif not any(listener_admits_kind(lst, route.kind) for lst, ok in zip(listeners, admits, strict=True) if ok):
            ctx.report("MSH1732", route, path=path, gateway=gateway.ref(),
                       reason=f"its listeners do not accept {route.kind}")
