"""gateway.SecretAnalyzer: a Gateway's credentialName must name a usable Secret beside its workload."""

from __future__ import annotations

from meshctl.analysis.context import Context
from meshctl.analysis.hosts import short_or_full_name
from meshctl.analysis.registry import Analyzer, register
from meshctl.analyzers.gateway.credentials import credential_problem
from meshctl.analyzers.gateway.workloads import gateway_selector_text, selected_pods, servers
from meshctl.resource import Resource


@register
class SecretAnalyzer(Analyzer):
    """Checks a gateway's referenced secrets for correctness."""

    name = "gateway.SecretAnalyzer"
    inputs = ("Gateway", "Pod", "Secret")
    codes = ("IST0101", "IST0161")

    def analyze(self, ctx: Context) -> None:
        """Resolve each credentialName in the namespace of the gateway's pods and check the Secret."""
        pods = ctx.resources.label_index("Pod")
        for gateway in ctx.resources.of_kind("Gateway"):
            matched = selected_pods(pods, gateway)
            workload_ns = matched[0].namespace if matched else None
            if not workload_ns:
                ctx.report("IST0101", gateway, path="spec.selector", ref_kind="selector",
                           ref_name=gateway_selector_text(gateway))
                continue
            self._check_servers(ctx, gateway, workload_ns)

    def _check_servers(self, ctx: Context, gateway: Resource, workload_ns: str) -> None:
        for i, server in enumerate(servers(gateway)):
            tls = server.get("tls")
            name = str(tls.get("credentialName") or "") if isinstance(tls, dict) else ""
            if not name:
                continue
            path = f"spec.servers[{i}].tls.credentialName"
            secret = ctx.resources.get("Secret", *short_or_full_name(name, workload_ns))
            if secret is None:
                ctx.report("IST0101", gateway, path=path, ref_kind="credentialName", ref_name=name)
                continue
            problem = credential_problem(secret, ctx.now())
            if problem:
                ctx.report("IST0161", gateway, path=path, secret=secret.ref(), gateway=gateway.ref(),
                           detail=problem)
