"""conditions.ConditionAnalyzer: status conditions that report a problem."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register
from meshctl.resource import Resource

WAYPOINT_BOUND = frozenset({"istio.io/WaypointBound"})
GATEWAY_API = frozenset({"Accepted", "Programmed", "ResolvedRefs"})

# kind key -> condition types whose status "False" is reported
NEGATIVE_WHEN_FALSE: dict[str, frozenset[str]] = {
    "Service": WAYPOINT_BOUND,
    "ServiceEntry": WAYPOINT_BOUND,
    "WorkloadEntry": WAYPOINT_BOUND,
    "AuthorizationPolicy": frozenset({"ZtunnelAccepted", "WaypointAccepted"}),
    "KubernetesGateway": GATEWAY_API,
    "HTTPRoute": GATEWAY_API,
    "GRPCRoute": GATEWAY_API,
}
ROUTES = frozenset({"HTTPRoute", "GRPCRoute"})


def conditions_of(res: Resource) -> Iterable[dict[str, Any]]:
    """The status conditions; for routes, those of every parent."""
    status = res.body.get("status")
    if not isinstance(status, dict):
        return []
    if res.key in ROUTES:
        return [c for parent in status.get("parents") or [] for c in (parent or {}).get("conditions") or []]
    return [c for c in status.get("conditions") or [] if isinstance(c, dict)]


def is_negative(kind: str, condition: dict[str, Any]) -> bool:
    """Whether istioctl treats the condition as negative for this kind."""
    ctype = str(condition.get("type", ""))
    if str(condition.get("status")) == "False" and ctype in NEGATIVE_WHEN_FALSE.get(kind, ()):
        return True
    return kind == "AuthorizationPolicy" and ctype == "WaypointAccepted" \
        and condition.get("reason") == "PartiallyInvalid"


@register
class ConditionAnalyzer(Analyzer):
    """Checks for negative status conditions on resources."""

    name = "conditions.ConditionAnalyzer"
    inputs = tuple(NEGATIVE_WHEN_FALSE)
    codes = ("IST0171",)

    def analyze(self, ctx: Context) -> None:
        """Report each negative condition with its type, reason and message."""
        for kind in NEGATIVE_WHEN_FALSE:
            for res in ctx.resources.of_kind(kind):
                for cond in conditions_of(res):
                    if isinstance(cond, dict) and is_negative(kind, cond):
                        detail = f"{cond.get('reason', '')}: {cond.get('message', '')}".strip(": ")
                        ctx.report("IST0171", res, path="status.conditions",
                                   condition=cond.get("type", ""), detail=detail)
