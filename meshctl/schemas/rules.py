"""Istio's validation rules that a JSON Schema cannot express, per kind.

Each rule function takes a ``spec`` dict (schema-checked or not, so it reads defensively) and
yields :class:`Issue` objects: IST0106 errors and IST0133 warnings with field paths.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from meshctl.schemas.validate import Issue

Rule = Callable[[dict[str, Any]], Iterator[Issue]]
_RULES: dict[str, list[Rule]] = {}
_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")


def rule(*kinds: str) -> Callable[[Rule], Rule]:
    """Register a rule function for one or more kinds."""
    def wrap(fn: Rule) -> Rule:
        for kind in kinds:
            _RULES.setdefault(kind, []).append(fn)
        return fn
    return wrap


def rule_issues(kind: str, spec: dict[str, Any]) -> list[Issue]:
    """Every rule finding for one spec of a kind."""
    return [issue for fn in _RULES.get(kind, ()) for issue in fn(spec)]


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def hosts_overlap(a: str, b: str) -> bool:
    """Whether two host names (``*.`` wildcards allowed) can name the same host."""
    if a == b or "*" in (a, b):
        return True
    if a.startswith("*"):
        return b.endswith(a[1:]) or (b.startswith("*") and a.endswith(b[1:]))
    return b.startswith("*") and a.endswith(b[1:])


@rule("VirtualService", "DestinationRule", "ServiceEntry")
def export_to(spec: dict[str, Any]) -> Iterator[Issue]:
    """``exportTo`` holds ``.``, ``*``, ``~`` or namespace names; ``~`` stands alone."""
    values = _list(spec.get("exportTo"))
    for index, value in enumerate(values):
        text = str(value)
        if text not in (".", "*", "~") and not _DNS_LABEL.match(text):
            yield Issue.error(f"spec.exportTo[{index}]", f"{text!r} is not '.', '*', '~' or a namespace")
    if "~" in values and len(values) > 1:
        yield Issue.error("spec.exportTo", "'~' cannot be combined with other values")


@rule("VirtualService")
def virtual_service(spec: dict[str, Any]) -> Iterator[Issue]:
    """Hosts, delegate restrictions, and at least one route section."""
    hosts = [str(h) for h in _list(spec.get("hosts"))]
    gateways = _list(spec.get("gateways"))
    if not hosts:
        for section in ("gateways", "tls", "tcp"):
            if spec.get(section):
                yield Issue.error(f"spec.{section}",
                                  f"a delegate VirtualService (no hosts) cannot set {section}")
    mesh_only = not gateways or "mesh" in gateways
    for index, host in enumerate(hosts):
        if host == "*" and mesh_only:
            yield Issue.error(f"spec.hosts[{index}]", "host '*' is not allowed for rules bound to the mesh")
    for i, first in enumerate(hosts):
        for j in range(i + 1, len(hosts)):
            if hosts_overlap(first, hosts[j]):
                yield Issue.error(f"spec.hosts[{j}]", f"duplicate hosts {first} and {hosts[j]}")
    if not any(spec.get(s) for s in ("http", "tcp", "tls")):
        yield Issue.error("spec", "one of http, tcp or tls must be provided")
    yield from _http_routes(spec, delegate=not hosts)
    yield from _l4_routes(spec)


def _http_routes(spec: dict[str, Any], delegate: bool) -> Iterator[Issue]:
    for index, route in enumerate(_list(spec.get("http"))):
        path = f"spec.http[{index}]"
        if not isinstance(route, dict):
            yield Issue.error(path, "an HTTP route cannot be empty")
            continue
        if route.get("delegate"):
            if delegate:
                yield Issue.error(f"{path}.delegate", "a delegate VirtualService cannot delegate again")
            for field in ("route", "redirect"):
                if route.get(field):
                    yield Issue.error(f"{path}.{field}", f"a rule with delegate cannot set {field}")
            continue
        if route.get("redirect"):
            for field in ("route", "fault", "rewrite"):
                if route.get(field):
                    yield Issue.error(f"{path}.{field}", f"a rule with redirect cannot set {field}")
        elif not route.get("route") and not route.get("directResponse"):
            yield Issue.error(path, "route, redirect or directResponse is required")
        if "mirrorPercent" in route:
            yield Issue.warning(f"{path}.mirrorPercent", "mirrorPercent is deprecated; use mirrorPercentage")
        if route.get("mirror") and route.get("mirrors"):
            yield Issue.error(f"{path}.mirrors", "mirror and mirrors cannot both be set")


def _l4_routes(spec: dict[str, Any]) -> Iterator[Issue]:
    for index, route in enumerate(_list(spec.get("tls"))):
        path = f"spec.tls[{index}]"
        matches = _list(_dict(route).get("match"))
        if not matches:
            yield Issue.error(f"{path}.match", "a TLS route needs at least one match")
        for mindex, match in enumerate(matches):
            if not _list(_dict(match).get("sniHosts")):
                yield Issue.error(f"{path}.match[{mindex}].sniHosts",
                                  "a TLS match needs at least one SNI host")
        if not _list(_dict(route).get("route")):
            yield Issue.error(f"{path}.route", "a TLS route needs a route")
    for index, route in enumerate(_list(spec.get("tcp"))):
        if not _list(_dict(route).get("route")):
            yield Issue.error(f"spec.tcp[{index}].route", "a TCP route needs a route")


@rule("VirtualService")
def vs_unreachable(spec: dict[str, Any]) -> Iterator[Issue]:
    """Unreachable rules and shadowed matches (IST0130, IST0131)."""
    from meshctl.schemas.vsmatches import unreachable_issues

    yield from unreachable_issues(spec)


@rule("DestinationRule")
def destination_rule(spec: dict[str, Any]) -> Iterator[Issue]:
    """A host, unique subset names, deprecated outlier settings."""
    if not spec.get("host"):
        yield Issue.error("spec.host", "host is required")
    names: set[str] = set()
    for index, subset in enumerate(_list(spec.get("subsets"))):
        name = str(_dict(subset).get("name") or "")
        if name and name in names:
            yield Issue.error(f"spec.subsets[{index}].name", f"duplicate subset name {name!r}")
        names.add(name)
    policies = [("spec.trafficPolicy", _dict(spec.get("trafficPolicy")))]
    policies += [(f"spec.subsets[{i}].trafficPolicy", _dict(_dict(s).get("trafficPolicy")))
                 for i, s in enumerate(_list(spec.get("subsets")))]
    for path, policy in policies:
        if "consecutiveErrors" in _dict(policy.get("outlierDetection")):
            yield Issue.warning(f"{path}.outlierDetection.consecutiveErrors",
                                "consecutiveErrors is deprecated; use consecutive5xxErrors")


@rule("Gateway")
def gateway(spec: dict[str, Any]) -> Iterator[Issue]:
    """Servers with a port, a protocol and hosts; TLS settings where the protocol needs them."""
    servers = _list(spec.get("servers"))
    if not servers:
        yield Issue.error("spec.servers", "a Gateway needs at least one server")
    for index, server in enumerate(servers):
        path, server = f"spec.servers[{index}]", _dict(server)
        port = _dict(server.get("port"))
        if not port:
            yield Issue.error(f"{path}.port", "port is required")
        elif not port.get("protocol"):
            yield Issue.error(f"{path}.port.protocol", "protocol is required")
        if not _list(server.get("hosts")):
            yield Issue.error(f"{path}.hosts", "a server needs at least one host")
        protocol = str(port.get("protocol", "")).upper()
        if protocol in ("HTTPS", "TLS") and not server.get("tls"):
            yield Issue.error(f"{path}.tls", f"a {protocol} server needs TLS settings")


@rule("ServiceEntry")
def service_entry(spec: dict[str, Any]) -> Iterator[Issue]:
    """Hosts, unique port numbers and names, endpoints or a selector."""
    if not _list(spec.get("hosts")):
        yield Issue.error("spec.hosts", "a ServiceEntry needs at least one host")
    if spec.get("endpoints") and spec.get("workloadSelector"):
        yield Issue.error("spec.workloadSelector", "endpoints and workloadSelector cannot both be set")
    numbers: set[object] = set()
    names: set[object] = set()
    for index, port in enumerate(_list(spec.get("ports"))):
        port = _dict(port)
        if port.get("number") in numbers:
            yield Issue.error(f"spec.ports[{index}].number", f"port {port.get('number')} is used twice")
        if port.get("name") and port.get("name") in names:
            yield Issue.error(f"spec.ports[{index}].name", f"port name {port.get('name')!r} is used twice")
        numbers.add(port.get("number"))
        names.add(port.get("name"))


@rule("Sidecar")
def sidecar(spec: dict[str, Any]) -> Iterator[Issue]:
    """Each egress listener names at least one host; ingress listeners have a port."""
    for index, egress in enumerate(_list(spec.get("egress"))):
        if not _list(_dict(egress).get("hosts")):
            yield Issue.error(f"spec.egress[{index}].hosts", "an egress listener needs at least one host")
    for index, ingress in enumerate(_list(spec.get("ingress"))):
        if not _dict(ingress).get("port"):
            yield Issue.error(f"spec.ingress[{index}].port", "an ingress listener needs a port")


@rule("AuthorizationPolicy", "RequestAuthentication", "Telemetry", "WasmPlugin")
def selector_or_target(spec: dict[str, Any]) -> Iterator[Issue]:
    """``selector`` and ``targetRef(s)`` are mutually exclusive, as are targetRef and targetRefs."""
    if spec.get("selector") and (spec.get("targetRef") or spec.get("targetRefs")):
        yield Issue.error("spec.selector", "selector cannot be combined with targetRef or targetRefs")
    if spec.get("targetRef") and spec.get("targetRefs"):
        yield Issue.error("spec.targetRefs", "targetRef and targetRefs cannot both be set")


@rule("AuthorizationPolicy")
def authorization_policy(spec: dict[str, Any]) -> Iterator[Issue]:
    """A provider exactly for CUSTOM; conditions with values."""
    custom = spec.get("action") == "CUSTOM"
    if custom and not _dict(spec.get("provider")).get("name"):
        yield Issue.error("spec.provider", "action CUSTOM needs a provider name")
    if spec.get("provider") and not custom:
        yield Issue.error("spec.provider", "a provider is only allowed with action CUSTOM")
    for rindex, item in enumerate(_list(spec.get("rules"))):
        for cindex, cond in enumerate(_list(_dict(item).get("when"))):
            cond = _dict(cond)
            if not cond.get("values") and not cond.get("notValues"):
                yield Issue.error(f"spec.rules[{rindex}].when[{cindex}]",
                                  "a condition needs values or notValues")


@rule("PeerAuthentication")
def peer_authentication(spec: dict[str, Any]) -> Iterator[Issue]:
    """Port-level mTLS needs a workload selector and valid port numbers."""
    ports = spec.get("portLevelMtls")
    if ports is None:
        return
    if not _dict(_dict(spec.get("selector")).get("matchLabels")):
        yield Issue.error("spec.portLevelMtls", "port-level mTLS needs a workload selector")
    if isinstance(ports, dict) and not ports:
        yield Issue.error("spec.portLevelMtls", "portLevelMtls, if set, needs at least one port")
    for key in _dict(ports):
        if not str(key).isdigit() or not 0 < int(key) <= 65535:
            yield Issue.error(f"spec.portLevelMtls.{key}", f"{key!r} is not a port number 1..65535")


@rule("RequestAuthentication")
def request_authentication(spec: dict[str, Any]) -> Iterator[Issue]:
    """``jwks`` and ``jwksUri`` are alternatives."""
    for index, jwt in enumerate(_list(spec.get("jwtRules"))):
        if _dict(jwt).get("jwks") and _dict(jwt).get("jwksUri"):
            yield Issue.error(f"spec.jwtRules[{index}]", "jwks and jwksUri cannot both be set")
