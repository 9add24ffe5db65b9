"""sidecar.EgressHostAnalyzer: Sidecar egress hosts should name services in the registry."""

from __future__ import annotations

from meshctl.analysis.context import Context
from meshctl.analysis.hosts import cluster_domain, host_matches, to_fqdn
from meshctl.analysis.registry import Analyzer, register


@register
class EgressHostAnalyzer(Analyzer):
    """Reports Sidecar egress hosts (namespace/dnsName without wildcards) that match no Service or ServiceEntry."""

    name = "sidecar.EgressHostAnalyzer"
    inputs = ("Sidecar", "Service", "ServiceEntry")
    codes = ("MSH1760",)

    def analyze(self, ctx: Context) -> None:
        """Resolve each specific dnsName against Service FQDNs and ServiceEntry hosts."""
        domain = cluster_domain(ctx.mesh_config)
        services = {to_fqdn(s.name, s.namespace, domain) for s in ctx.resources.of_kind("Service")}
        entry_hosts = [str(h) for se in ctx.resources.of_kind("ServiceEntry") for h in se.spec.get("hosts") or []]
        for sidecar in ctx.resources.of_kind("Sidecar"):
            for i, egress in enumerate(sidecar.spec.get("egress") or []):
                for j, host in enumerate((egress or {}).get("hosts") or []):
                    namespace, _, name = str(host).rpartition("/")
                    if not name or "*" in name:
                        continue
                    scope = sidecar.namespace if namespace in ("", ".", "~", "*") else namespace
                    fqdn = to_fqdn(name, scope, domain)
                    if fqdn in services or any(host_matches(fqdn, h) for h in entry_hosts):
                        continue
                    ctx.report("MSH1760", sidecar, path=f"spec.egress[{i}].hosts[{j}]", host=str(host))
