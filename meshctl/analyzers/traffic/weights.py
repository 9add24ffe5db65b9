"""traffic.RouteWeightsAnalyzer: weighted route destinations must add up to 100, none negative."""

from __future__ import annotations

from typing import Any

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register
from meshctl.analyzers.traffic.numbers import as_number, shown
from meshctl.analyzers.virtualservice.routes import ROUTE_KINDS
from meshctl.resource import Resource


def _weight(route: dict[str, Any]) -> float | None:
    """A route destination's ``weight``, or None when unset or not a number."""
    return as_number(route.get("weight"))


def weighted_routes(vs: Resource) -> list[tuple[str, list[dict[str, Any]]]]:
    """``(path, route destinations)`` for every tcp, tls and http rule."""
    out = []
    for kind in ROUTE_KINDS:
        for i, rule in enumerate(vs.spec.get(kind) or []):
            if isinstance(rule, dict):
                routes = [r for r in rule.get("route") or [] if isinstance(r, dict)]
                out.append((f"spec.{kind}[{i}].route", routes))
    return out


@register
class RouteWeightsAnalyzer(Analyzer):
    """Checks that weighted VirtualService route destinations sum to 100 and none is negative."""

    name = "traffic.RouteWeightsAnalyzer"
    inputs = ("VirtualService",)
    codes = ("MSH0101", "MSH0102")

    def analyze(self, ctx: Context) -> None:
        """Report negative weights, and weight totals other than 100 where two or more are set."""
        for vs in ctx.resources.of_kind("VirtualService"):
            for path, routes in weighted_routes(vs):
                self._check(ctx, vs, path, routes)

    def _check(self, ctx: Context, vs: Resource, path: str, routes: list[dict[str, Any]]) -> None:
        weights = [(j, w) for j, w in ((j, _weight(r)) for j, r in enumerate(routes)) if w is not None]
        for j, weight in weights:
            if weight < 0:
                host = (routes[j].get("destination") or {}).get("host", "")
                ctx.report("MSH0102", vs, path=f"{path}[{j}].weight", host=host,
                           route=path, weight=shown(weight))
        total = sum(w for _, w in weights)
        if len(weights) > 1 and total != 100:
            ctx.report("MSH0101", vs, path=path, route=path, total=shown(total))
