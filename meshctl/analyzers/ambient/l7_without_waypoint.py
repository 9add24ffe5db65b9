"""ambient.L7PolicyWithoutWaypointAnalyzer: L7 configuration for ambient workloads that no waypoint applies."""

from __future__ import annotations

from meshctl.analysis.context import Context
from meshctl.analysis.hosts import MESH_GATEWAY, cluster_domain, resource_name_for_host
from meshctl.analysis.registry import Analyzer, register
from meshctl.analyzers.ambient.enrolment import Mesh, namespace_labelled_ambient
from meshctl.analyzers.ambient.layer7 import POLICY_KINDS, ROUTE_KINDS, l7_content, service_refs, target_refs
from meshctl.resource import Resource

NO_WAYPOINT = "it is in ambient mode and no waypoint serves it, and ztunnel applies only L4 configuration"
BY_SELECTOR = ("without targetRefs it binds to ztunnel, which applies only L4 configuration (and fails closed "
               "on AuthorizationPolicy rules it cannot check); bind it to a waypoint or Service with targetRefs")


@register
class L7PolicyWithoutWaypointAnalyzer(Analyzer):
    """Reports L7 policy, routing and telemetry for ambient workloads that no waypoint proxy applies."""

    name = "ambient.L7PolicyWithoutWaypointAnalyzer"
    inputs = ("Namespace", "Pod", "Service", "ServiceEntry", "KubernetesGateway", *POLICY_KINDS,
              "VirtualService", "DestinationRule", *ROUTE_KINDS)
    codes = ("MSH1701",)

    def analyze(self, ctx: Context) -> None:
        """Check bound policies, then VirtualServices, DestinationRules and Service-attached routes."""
        mesh = Mesh(ctx.resources.of_kind("Namespace"), ctx.resources.of_kind("KubernetesGateway"),
                    ctx.resources.of_kind("Pod"))
        if not mesh.any_ambient():
            return
        root = str(ctx.mesh_config.get("rootNamespace") or ctx.env.istio_namespace)
        for kind in (*POLICY_KINDS, *ROUTE_KINDS):
            for res in ctx.resources.of_kind(kind):
                what = l7_content(res)
                if what is None:
                    continue
                self._check_refs(ctx, mesh, res, what)
                if kind in POLICY_KINDS and not target_refs(res.spec) and res.namespace != root:
                    self._check_selector(ctx, mesh, res, what)
        domain = cluster_domain(ctx.mesh_config)
        for res in ctx.resources.of_kind("VirtualService"):
            gateways = [str(g) for g in res.spec.get("gateways") or []]
            what = l7_content(res)
            if what and (not gateways or MESH_GATEWAY in gateways):
                for i, host in enumerate(res.spec.get("hosts") or []):
                    self._check_host(ctx, mesh, res, what, str(host), domain, f"spec.hosts[{i}]")
        for res in ctx.resources.of_kind("DestinationRule"):
            what = l7_content(res)
            if what:
                self._check_host(ctx, mesh, res, what, str(res.spec.get("host", "")), domain, "spec.host")

    @staticmethod
    def _service_unserved(ctx: Context, mesh: Mesh, kind: str, namespace: str, name: str) -> Resource | None:
        svc = ctx.resources.get(kind, namespace or None, name)
        if svc is None or not mesh.service_in_ambient(svc) or mesh.service_waypoint(svc) is not None:
            return None
        return svc

    def _check_refs(self, ctx: Context, mesh: Mesh, res: Resource, what: str) -> None:
        for kind, namespace, name in service_refs(res):
            svc = self._service_unserved(ctx, mesh, kind, namespace, name)
            if svc is not None:
                ctx.report("MSH1701", res, path="spec", what=what, target=f"{kind} {svc.ref()}",
                           reason=NO_WAYPOINT)

    def _check_host(self, ctx: Context, mesh: Mesh, res: Resource, what: str, host: str, domain: str,
                    path: str) -> None:
        namespace, name = resource_name_for_host(host, res.namespace, domain)
        svc = self._service_unserved(ctx, mesh, "Service", namespace, name)
        if svc is not None:
            ctx.report("MSH1701", res, path=path, what=what, target=f"Service {svc.ref()}", reason=NO_WAYPOINT)

    @staticmethod
    def _check_selector(ctx: Context, mesh: Mesh, res: Resource, what: str) -> None:
        selector = res.spec.get("selector")
        selector = selector if isinstance(selector, dict) else None
        known = mesh.pods.get(res.namespace or "")
        if known:
            enrolled = mesh.enrolled(mesh.selected_pods(res.namespace, selector))
            if enrolled:
                names = ", ".join(sorted(p.name for p in enrolled)[:3]) + (", ..." if len(enrolled) > 3 else "")
                ctx.report("MSH1701", res, path="spec.selector" if selector else "metadata.namespace",
                           what=what, target=f"ambient pods {names}", reason=BY_SELECTOR)
            return
        if selector is None and namespace_labelled_ambient(mesh.namespace(res.namespace)):
            ctx.report("MSH1701", res, path="metadata.namespace", what=what,
                       target=f"ambient namespace {res.namespace}", reason=BY_SELECTOR)
