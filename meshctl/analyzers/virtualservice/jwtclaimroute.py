"""virtualservice.JWTClaimRouteAnalyzer: JWT-claim routing needs a RequestAuthentication on the gateway."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from meshctl.analysis.context import Context
from meshctl.analysis.hosts import MESH_GATEWAY, short_or_full_name
from meshctl.analysis.registry import Analyzer, register
from meshctl.analysis.selectors import LabelIndex, labels_contain
from meshctl.analyzers.virtualservice.routes import gateways_of
from meshctl.resource import Resource

CLAIM_PREFIX = "@request.auth.claims"
ROOT_NAMESPACE = "istio-system"


def claim_key(vs: Resource) -> str:
    """The first header match key on a JWT claim, or empty."""
    for rule in vs.spec.get("http") or []:
        for match in (rule.get("match") or []) if isinstance(rule, dict) else []:
            if not isinstance(match, dict):
                continue
            for field in ("headers", "withoutHeaders"):
                for key in match.get(field) or {}:
                    if str(key).startswith(CLAIM_PREFIX):
                        return str(key)
    return ""


def selectors_by_namespace(policies: list[Resource]) -> dict[str | None, list[dict[str, Any]]]:
    """Each RequestAuthentication's matchLabels, by namespace."""
    out: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for ra in policies:
        out[ra.namespace].append((ra.spec.get("selector") or {}).get("matchLabels") or {})
    return out


@register
class JWTClaimRouteAnalyzer(Analyzer):
    """Checks the VirtualService using JWT claim based routing has corresponding RequestAuthentication."""

    name = "virtualservice.JWTClaimRouteAnalyzer"
    inputs = ("VirtualService", "RequestAuthentication", "Gateway", "Pod")
    codes = ("IST0149",)

    def analyze(self, ctx: Context) -> None:
        """Report gateway pods that JWT-claim routes reach without a RequestAuthentication."""
        selectors = selectors_by_namespace(ctx.resources.of_kind("RequestAuthentication"))
        pods: LabelIndex | None = None
        for vs in ctx.resources.of_kind("VirtualService"):
            claim = claim_key(vs)
            if not claim:
                continue
            pods = pods or ctx.resources.label_index("Pod")
            for ref in gateways_of(vs):
                if ref == MESH_GATEWAY:
                    continue
                gateway = ctx.resources.get("Gateway", *short_or_full_name(ref, vs.namespace))
                if gateway is None:
                    continue
                for pod in pods.select(gateway.spec.get("selector") or {}):
                    candidates = [*selectors.get(ROOT_NAMESPACE, []), *selectors.get(pod.namespace, [])]
                    if not any(labels_contain(pod.labels, sel) for sel in candidates):
                        ctx.report("IST0149", vs, claim=claim, pod=pod.name)
