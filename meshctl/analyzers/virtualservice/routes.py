"""The destinations of a VirtualService's routes and mirrors, with where they sit."""

from __future__ import annotations

from typing import Any

from meshctl.conventions.ports import port_number
from meshctl.record import Record
from meshctl.resource import Resource

ROUTE_KINDS = ("tcp", "tls", "http")


class RouteDestination(Record):
    """One destination: the rule kind (``http``, ``http.mirror``...), its indexes and body.

    Built for every destination of every VirtualService, by several analyzers: ``host`` and
    ``subset`` are read once, from ``destination`` (which is never changed)."""

    __slots__ = ("rule", "route_index", "dest_index", "destination", "host", "subset")
    _unshown = ("host", "subset")

    def __init__(self, rule: str, route_index: int, dest_index: int, destination: dict[str, Any]) -> None:
        self.rule = rule
        self.route_index = route_index
        self.dest_index = dest_index
        self.destination = destination
        #: ``destination.host``
        self.host = str(destination.get("host") or "")
        #: ``destination.subset``, or empty
        self.subset = str(destination.get("subset") or "")

    def _identity(self) -> tuple[object, ...]:
        return (self.rule, self.route_index, self.dest_index, self.destination)

    @property
    def port(self) -> int | None:
        """``destination.port.number``; None when no port is given, 0 when it has no number."""
        return port_number(self.destination)

    @property
    def is_mirror(self) -> bool:
        """Whether this is a mirror target."""
        return self.rule.startswith("http.mirror")

    @property
    def path(self) -> str:
        """The field path of the destination."""
        if self.rule == "http.mirror":
            return f"spec.http[{self.route_index}].mirror"
        if self.rule == "http.mirrors":
            return f"spec.http[{self.route_index}].mirrors[{self.dest_index}].destination"
        return f"spec.{self.rule}[{self.route_index}].route[{self.dest_index}].destination"


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value or [] if isinstance(v, dict)] if isinstance(value, list) else []


def route_destinations(vs: Resource) -> list[RouteDestination]:
    """Every ``route[].destination`` of the tcp, tls and http rules, in that order (missing ones empty)."""
    out = []
    for kind in ROUTE_KINDS:
        for i, rule in enumerate(_dicts(vs.spec.get(kind))):
            for j, route in enumerate(_dicts(rule.get("route"))):
                dest = route.get("destination")
                out.append(RouteDestination(kind, i, j, dest if isinstance(dest, dict) else {}))
    return out


def mirror_destinations(vs: Resource) -> list[RouteDestination]:
    """Every http ``mirror`` and ``mirrors[].destination``."""
    out = []
    for i, rule in enumerate(_dicts(vs.spec.get("http"))):
        mirror = rule.get("mirror")
        if isinstance(mirror, dict):
            out.append(RouteDestination("http.mirror", i, 0, mirror))
        for j, item in enumerate(_dicts(rule.get("mirrors"))):
            dest = item.get("destination")
            out.append(RouteDestination("http.mirrors", i, j, dest if isinstance(dest, dict) else {}))
    return out


def gateways_of(vs: Resource) -> list[str]:
    """``spec.gateways`` as strings."""
    return [str(g) for g in vs.spec.get("gateways") or []]


def hosts_of(res: Resource) -> list[str]:
    """``spec.hosts`` as strings."""
    return [str(h) for h in res.spec.get("hosts") or []]


def export_to_of(res: Resource) -> list[str]:
    """``spec.exportTo`` as strings."""
    return [str(e) for e in res.spec.get("exportTo") or []]
