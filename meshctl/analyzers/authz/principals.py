"""auth.PrincipalServiceAccountAnalyzer: principals of this trust domain must name existing ServiceAccounts."""

from __future__ import annotations

import re

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register
from meshctl.analyzers.authz.rule_fields import source_values

PRINCIPAL = re.compile(r"^(?:spiffe://)?(?P<td>[^/]+)/ns/(?P<ns>[^/]+)/sa/(?P<sa>[^/]+)$")


@register
class PrincipalServiceAccountAnalyzer(Analyzer):
    """Reports AuthorizationPolicy principals whose ServiceAccount does not exist (namespaces whose accounts are in the input)."""  # noqa: E501

    name = "auth.PrincipalServiceAccountAnalyzer"
    inputs = ("AuthorizationPolicy", "ServiceAccount", "Namespace")
    codes = ("MSH1765",)

    def analyze(self, ctx: Context) -> None:
        """Parse ``<trust domain>/ns/<ns>/sa/<sa>``; wildcards, other trust domains and unlisted namespaces are skipped."""  # noqa: E501
        domains = {str(ctx.mesh_config.get("trustDomain") or "cluster.local"),
                   *[str(a) for a in ctx.mesh_config.get("trustDomainAliases") or []]}
        listed = {sa.namespace for sa in ctx.resources.of_kind("ServiceAccount")}
        for policy in ctx.resources.of_kind("AuthorizationPolicy"):
            for path, _, value in source_values(policy, ("principals", "notPrincipals")):
                match = PRINCIPAL.match(value)
                if not match or "*" in value or match["td"] not in domains:
                    continue
                namespace, account = match["ns"], match["sa"]
                if namespace not in listed or account == "default":
                    continue
                if not ctx.resources.has("ServiceAccount", namespace, account):
                    ctx.report("MSH1765", policy, path=path, principal=value, service_account=f"{namespace}/{account}")
