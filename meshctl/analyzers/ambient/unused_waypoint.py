"""ambient.UnusedWaypointAnalyzer: waypoints that no label, policy or route uses."""

from __future__ import annotations

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register
from meshctl.analyzers.ambient.enrolment import is_waypoint, waypoint_use
from meshctl.analyzers.ambient.layer7 import POLICY_KINDS, ROUTE_KINDS, target_refs
from meshctl.resource import Resource

HOLDERS = ("Service", "ServiceEntry", "Pod", "WorkloadEntry")
GATEWAY_GROUP = "gateway.networking.k8s.io"


def gateway_refs(res: Resource) -> list[tuple[str, str]]:
    """(namespace, name) of the Gateways a policy's targetRefs or a route's parentRefs name."""
    refs = res.spec.get("parentRefs") if res.key in ROUTE_KINDS else target_refs(res.spec)
    out = []
    for ref in refs or []:
        if isinstance(ref, dict) and ref.get("kind", "Gateway" if res.key in ROUTE_KINDS else "") == "Gateway" \
                and str(ref.get("group", GATEWAY_GROUP)) == GATEWAY_GROUP:
            out.append((str(ref.get("namespace") or res.namespace or ""), str(ref.get("name", ""))))
    return out


@register
class UnusedWaypointAnalyzer(Analyzer):
    """Reports waypoint Gateways that no namespace, service, workload, policy or route uses."""

    name = "ambient.UnusedWaypointAnalyzer"
    inputs = ("Namespace", *HOLDERS, "KubernetesGateway", *POLICY_KINDS, *ROUTE_KINDS)
    codes = ("MSH1705",)

    def analyze(self, ctx: Context) -> None:
        """Collect every waypoint binding, then report the waypoints none of them names."""
        namespaces = {ns.name: ns for ns in ctx.resources.of_kind("Namespace")}
        used: set[tuple[str, str]] = set()
        for ns in namespaces.values():
            use = waypoint_use(ns, None)
            if use:
                used.add((use.namespace, use.name))
        for kind in HOLDERS:
            for res in ctx.resources.of_kind(kind):
                use = waypoint_use(res, namespaces.get(res.namespace or ""))
                if use:
                    used.add((use.namespace, use.name))
        for kind in (*POLICY_KINDS, *ROUTE_KINDS):
            for res in ctx.resources.of_kind(kind):
                used.update(gateway_refs(res))
        for gateway in ctx.resources.of_kind("KubernetesGateway"):
            if is_waypoint(gateway) and (gateway.namespace or "", gateway.name) not in used:
                ctx.report("MSH1705", gateway, path="metadata.name", waypoint=gateway.ref())
