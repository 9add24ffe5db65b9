"""auth.OperationAnalyzer: to.operation methods must be HTTP methods, hosts must be known hosts."""

from __future__ import annotations

from meshctl.analysis.context import Context
from meshctl.analysis.hosts import cluster_domain, host_matches, to_fqdn
from meshctl.analysis.registry import Analyzer, register
from meshctl.analyzers.authz.rule_fields import operation_values

HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"})


def method_known(value: str) -> bool:
    """An HTTP method, ``*``, or a prefix/suffix pattern of one (Istio matches methods case-sensitively)."""
    if value == "*":
        return True
    if value.endswith("*"):
        return any(m.startswith(value[:-1]) for m in HTTP_METHODS)
    if value.startswith("*"):
        return any(m.endswith(value[1:]) for m in HTTP_METHODS)
    return value in HTTP_METHODS


@register
class OperationAnalyzer(Analyzer):
    """Reports AuthorizationPolicy methods that are not HTTP methods and to.operation hosts that nothing serves."""

    name = "auth.OperationAnalyzer"
    inputs = ("AuthorizationPolicy", "Service", "ServiceEntry", "VirtualService", "Gateway", "KubernetesGateway",
              "HTTPRoute")
    codes = ("MSH1763", "MSH1764")

    def analyze(self, ctx: Context) -> None:
        """Check methods by name; hosts against Services, ServiceEntries and gateway and route hosts."""
        known = self._known_hosts(ctx)
        domain = cluster_domain(ctx.mesh_config)
        for policy in ctx.resources.of_kind("AuthorizationPolicy"):
            for path, field, value in operation_values(policy, ("methods", "notMethods")):
                if not method_known(value):
                    ctx.report("MSH1763", policy, path=path, field=field, method=value)
            for path, field, value in operation_values(policy, ("hosts", "notHosts")):
                host = value.rsplit(":", 1)[0] if value.rsplit(":", 1)[-1].isdigit() else value
                if "*" in host:
                    continue
                candidates = {host, to_fqdn(host, policy.namespace, domain)}
                if not any(host_matches(c, k) for c in candidates for k in known):
                    ctx.report("MSH1764", policy, path=path, field=field, host=value)

    @staticmethod
    def _known_hosts(ctx: Context) -> list[str]:
        domain = cluster_domain(ctx.mesh_config)
        hosts = [to_fqdn(s.name, s.namespace, domain) for s in ctx.resources.of_kind("Service")]
        hosts += [str(h) for se in ctx.resources.of_kind("ServiceEntry") for h in se.spec.get("hosts") or []]
        hosts += [str(h) for vs in ctx.resources.of_kind("VirtualService") for h in vs.spec.get("hosts") or []]
        for gw in ctx.resources.of_kind("Gateway"):
            for server in gw.spec.get("servers") or []:
                hosts += [str(h).rpartition("/")[2] for h in (server or {}).get("hosts") or []]
        for gw in ctx.resources.of_kind("KubernetesGateway"):
            hosts += [str(lst["hostname"]) for lst in gw.spec.get("listeners") or []
                      if isinstance(lst, dict) and lst.get("hostname")]
        hosts += [str(h) for r in ctx.resources.of_kind("HTTPRoute") for h in r.spec.get("hostnames") or []]
        return hosts
