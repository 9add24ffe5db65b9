"""ambient.UseWaypointAnalyzer: ``istio.io/use-waypoint`` must name a waypoint that exists and serves the traffic."""

from __future__ import annotations

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register
from meshctl.analysis.selectors import label_selector_matches
from meshctl.analyzers.ambient.enrolment import (
    USE_WAYPOINT_NAMESPACE,
    WAYPOINT_FOR,
    Mesh,
    WaypointUse,
    is_waypoint,
    waypoint_serves,
    waypoint_use,
)
from meshctl.resource import Resource

#: The traffic a label on each kind sends through the waypoint.
TRAFFIC = {"Service": "service", "ServiceEntry": "service", "Pod": "workload", "WorkloadEntry": "workload"}
LABEL_PATH = "metadata.labels"


def accepts_namespace(gateway: Resource, namespace: Resource | None, name: str) -> bool:
    """Whether any listener of a waypoint allows use from namespace ``name`` (allowedRoutes)."""
    for listener in gateway.spec.get("listeners") or []:
        if not isinstance(listener, dict):
            continue
        allowed = ((listener.get("allowedRoutes") or {}).get("namespaces") or {})
        source = str(allowed.get("from") or "Same")
        if source == "All" or (source == "Same" and name == gateway.namespace):
            return True
        labels = {**(namespace.labels if namespace else {}), "kubernetes.io/metadata.name": name}
        if source == "Selector" and label_selector_matches(allowed.get("selector") or {}, labels):
            return True
    return False


@register
class UseWaypointAnalyzer(Analyzer):
    """Checks that istio.io/use-waypoint names an existing waypoint that serves the labelled traffic."""

    name = "ambient.UseWaypointAnalyzer"
    inputs = ("Namespace", "Service", "ServiceEntry", "Pod", "WorkloadEntry", "KubernetesGateway")
    codes = ("MSH1702", "MSH1703", "MSH1704", "MSH1709")

    def analyze(self, ctx: Context) -> None:
        """Resolve every use-waypoint label set on an object itself."""
        mesh = Mesh(ctx.resources.of_kind("Namespace"), ctx.resources.of_kind("KubernetesGateway"))
        for kind in ("Namespace", *TRAFFIC):
            for res in ctx.resources.of_kind(kind):
                use = waypoint_use(res, None)
                if use is not None:
                    self._check(ctx, mesh, res, use)

    def _check(self, ctx: Context, mesh: Mesh, res: Resource, use: WaypointUse) -> None:
        gateway = mesh.waypoint(use)
        if gateway is None:
            self._missing(ctx, mesh, res, use)
            return
        own_ns = res.name if res.key == "Namespace" else (res.namespace or "")
        if gateway.namespace != own_ns and not accepts_namespace(gateway, mesh.namespace(own_ns), own_ns):
            ctx.report("MSH1709", res, path=LABEL_PATH, waypoint=use.ref, namespace=own_ns)
        if not is_waypoint(gateway):
            return
        serves = waypoint_serves(gateway)
        traffic = TRAFFIC.get(res.key)
        if (traffic and traffic not in serves) or (traffic is None and not serves):
            value = gateway.labels.get(WAYPOINT_FOR, "service")
            ctx.report("MSH1704", res, path=LABEL_PATH, waypoint=use.ref, waypoint_for=value,
                       traffic=traffic or "any")

    @staticmethod
    def _missing(ctx: Context, mesh: Mesh, res: Resource, use: WaypointUse) -> None:
        elsewhere = sorted(ns for (ns, name), gw in mesh.gateways.items()
                           if name == use.name and ns != use.namespace and is_waypoint(gw))
        if elsewhere and USE_WAYPOINT_NAMESPACE not in res.labels:
            ctx.report("MSH1703", res, path=LABEL_PATH, waypoint=use.name, namespace=use.namespace,
                       found=", ".join(elsewhere))
        else:
            ctx.report("MSH1702", res, path=LABEL_PATH, waypoint=use.ref)
