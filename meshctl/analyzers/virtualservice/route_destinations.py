"""virtualservice.RouteDestinationsAnalyzer: a lone weighted destination, and a destination repeated in one route."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register
from meshctl.resource import Resource

ROUTE_SECTIONS = ("http", "tls", "tcp")


def routes(vs: Resource) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """(path, destinations) of every route of a VirtualService."""
    for section in ROUTE_SECTIONS:
        for i, rule in enumerate(vs.spec.get(section) or []):
            if isinstance(rule, dict) and isinstance(rule.get("route"), list):
                yield f"spec.{section}[{i}].route", [d for d in rule["route"] if isinstance(d, dict)]


def destination_key(dest: dict[str, Any]) -> tuple[str, str, str]:
    """(host, subset, port) of a route destination."""
    target = dest.get("destination") or {}
    port = (target.get("port") or {}).get("number", "")
    return str(target.get("host", "")), str(target.get("subset", "")), str(port)


@register
class RouteDestinationsAnalyzer(Analyzer):
    """Reports a single route destination with a weight below 100, and a host+subset repeated within one route."""

    name = "virtualservice.RouteDestinationsAnalyzer"
    inputs = ("VirtualService",)
    codes = ("MSH1751", "MSH1752")

    def analyze(self, ctx: Context) -> None:
        """Check the destinations of every http, tls and tcp route."""
        for vs in ctx.resources.of_kind("VirtualService"):
            for path, dests in routes(vs):
                weight = dests[0].get("weight") if len(dests) == 1 else None
                if isinstance(weight, int) and 0 < weight < 100:
                    ctx.report("MSH1751", vs, path=f"{path}[0].weight", route=path, weight=weight)
                for (host, subset, port), count in Counter(destination_key(d) for d in dests).items():
                    if count > 1:
                        target = host + (f" subset {subset}" if subset else "") + (f" port {port}" if port else "")
                        ctx.report("MSH1752", vs, path=path, route=path, destination=target, count=count)
