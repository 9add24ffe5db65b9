"""authn.BlockedCIDRsAnalyzer: istiod should restrict where jwksUri may be fetched from."""

from __future__ import annotations

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register
from meshctl.analysis.selectors import pod_spec
from meshctl.resource import Resource

ENV_NAME = "BLOCKED_CIDRS_IN_JWKS_URIS"


def has_blocked_cidrs(deployment: Resource) -> bool:
    """Whether any container of the deployment sets BLOCKED_CIDRS_IN_JWKS_URIS to a value."""
    for container in pod_spec(deployment).get("containers") or []:
        for env in (container or {}).get("env") or []:
            if isinstance(env, dict) and env.get("name") == ENV_NAME and env.get("value"):
                return True
    return False


@register
class BlockedCIDRsAnalyzer(Analyzer):
    """Checks that BLOCKED_CIDRS_IN_JWKS_URIS is set on istiod when RequestAuthentication resources exist."""

    name = "authn.BlockedCIDRsAnalyzer"
    inputs = ("RequestAuthentication", "Deployment")
    codes = ("IST0175",)

    def analyze(self, ctx: Context) -> None:
        """Report istiod Deployments (label app=istiod) without the env var, if any RA exists."""
        policies = ctx.resources.of_kind("RequestAuthentication")
        if not policies:
            return
        for dep in ctx.resources.of_kind("Deployment"):
            if dep.labels.get("app") == "istiod" and not has_blocked_cidrs(dep):
                ctx.report("IST0175", dep, path="spec.template.spec.containers")
