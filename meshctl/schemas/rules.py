"""Istio's validation rules that its CRD schemas do not express, per kind.

Each rule function takes a ``spec`` dict (schema-checked or not, so it reads defensively) and
yields :class:`Issue` objects: IST0106 errors and IST0133 warnings with field paths. Rules the
CRDs state as CEL (one of selector/targetRef/targetRefs, jwks/jwksUri, endpoints/workloadSelector)
are evaluated from the schema (:mod:`meshctl.schemas.values`), not here.
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


def rules_for(kind: str) -> tuple[Rule, ...]:
    """The rules registered for a kind, in registration order."""
    return tuple(_RULES.get(kind, ()))


def rule_issues(kind: str, spec: dict[str, Any]) -> list[Issue]:
    """Every rule finding for one spec of a kind."""
    return [issue for fn in rules_for(kind) for issue in fn(spec)]


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
        yield from _weights(path, _list(route.get("route")))
        if "mirrorPercent" in route:
            yield Issue.warning(f"{path}.mirrorPercent", "mirrorPercent is deprecated; use mirrorPercentage")
        if route.get("mirror") and route.get("mirrors"):
            yield Issue.error(f"{path}.mirrors", "mirror and mirrors cannot both be set")


def _weights(path: str, destinations: list[Any]) -> Iterator[Issue]:
    """Weights are relative: none negative, and several destinations cannot all weigh 0."""
    total = 0
    for index, destination in enumerate(destinations):
        weight = _dict(destination).get("weight", 0)
        if isinstance(weight, int) and not isinstance(weight, bool):
            if weight < 0:
                yield Issue.error(f"{path}.route[{index}].weight", f"weight {weight} is negative")
            total += max(weight, 0)
    if len(destinations) > 1 and total == 0:
        yield Issue.error(f"{path}.route", "the destination weights add up to 0")


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
        yield from _weights(path, _list(_dict(route).get("route")))
    for index, route in enumerate(_list(spec.get("tcp"))):
        if not _list(_dict(route).get("route")):
            yield Issue.error(f"spec.tcp[{index}].route", "a TCP route needs a route")
        yield from _weights(f"spec.tcp[{index}]", _list(_dict(route).get("route")))


_STRING_MATCHES = ("uri", "scheme", "method", "authority")
_STRING_MATCH_MAPS = ("headers", "queryParams", "withoutHeaders")


def re2_error(pattern: str) -> str | None:
    """Why RE2 (the regex engine of Envoy and of istiod's validation) rejects ``pattern``, or None."""
    import re2  # google-re2: imported only when a regex is checked

    options = re2.Options()
    options.log_errors = False  # RE2 would write to stderr itself
    try:
        re2.compile(pattern, options)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else b""
        text = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
        return text.split(":", 1)[0] or "invalid regular expression"
    return None


def _regex_issue(path: str, value: Any) -> Iterator[Issue]:
    if isinstance(value, str) and value:
        problem = re2_error(value)
        if problem:
            yield Issue.error(path, f"{value!r} is not an RE2 regular expression ({problem})")


def _match_regexes(path: str, match: dict[str, Any]) -> Iterator[Issue]:
    for field in _STRING_MATCHES:
        yield from _regex_issue(f"{path}.{field}.regex", _dict(match.get(field)).get("regex"))
    for section in _STRING_MATCH_MAPS:
        for name, value in _dict(match.get(section)).items():
            yield from _regex_issue(f"{path}.{section}.{name}.regex", _dict(value).get("regex"))


def _rewrite_regex(path: str, rewrite: dict[str, Any]) -> Iterator[Issue]:
    regex_rewrite = rewrite.get("uriRegexRewrite")
    if regex_rewrite is None:
        return
    where = f"{path}.uriRegexRewrite"
    if rewrite.get("uri"):
        yield Issue.error(where, "uri and uriRegexRewrite cannot both be set")
    regex_rewrite = _dict(regex_rewrite)
    for field in ("match", "rewrite"):
        if not regex_rewrite.get(field):
            yield Issue.error(f"{where}.{field}", f"uriRegexRewrite needs {field}")
    yield from _regex_issue(f"{where}.match", regex_rewrite.get("match"))


@rule("VirtualService")
def vs_regexes(spec: dict[str, Any]) -> Iterator[Issue]:
    """Every regex istiod compiles (RE2): matches, header/query matches, URI rewrites, CORS origins."""
    for index, route in enumerate(_list(spec.get("http"))):
        route, path = _dict(route), f"spec.http[{index}]"
        for mindex, match in enumerate(_list(route.get("match"))):
            yield from _match_regexes(f"{path}.match[{mindex}]", _dict(match))
        yield from _rewrite_regex(f"{path}.rewrite", _dict(route.get("rewrite")))
        origins = _list(_dict(route.get("corsPolicy")).get("allowOrigins"))
        for oindex, origin in enumerate(origins):
            yield from _regex_issue(f"{path}.corsPolicy.allowOrigins[{oindex}].regex", _dict(origin).get("regex"))


@rule("VirtualService")
def vs_unreachable(spec: dict[str, Any]) -> Iterator[Issue]:
    """Unreachable rules and shadowed matches (IST0130, IST0131)."""
    from meshctl.schemas.vsmatches import unreachable_issues

    yield from unreachable_issues(spec)


@rule("DestinationRule")
def destination_rule(spec: dict[str, Any]) -> Iterator[Issue]:
    """A host, unique subset names, deprecated outlier settings."""
    if "host" in spec and not spec.get("host"):  # absent: the schema requires it
        yield Issue.error("spec.host", "host must not be empty")
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
        number = port.get("number")
        if isinstance(number, int) and not isinstance(number, bool) and not 0 < number <= 65535:
            yield Issue.error(f"{path}.port.number", f"{number} is not a port number 1..65535")
        if "hosts" in server and not _list(server.get("hosts")):  # absent: the schema requires it
            yield Issue.error(f"{path}.hosts", "a server needs at least one host")
        protocol = str(port.get("protocol", "")).upper()
        if protocol in ("HTTPS", "TLS") and not server.get("tls"):
            yield Issue.error(f"{path}.tls", f"a {protocol} server needs TLS settings")


@rule("ServiceEntry")
def service_entry(spec: dict[str, Any]) -> Iterator[Issue]:
    """Hosts, unique port numbers and names, endpoints or a selector."""
    if "hosts" in spec and not _list(spec.get("hosts")):  # absent: the schema requires it
        yield Issue.error("spec.hosts", "a ServiceEntry needs at least one host")
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
        if "hosts" in _dict(egress) and not _list(_dict(egress).get("hosts")):  # absent: schema
            yield Issue.error(f"spec.egress[{index}].hosts", "an egress listener needs at least one host")
    for index, ingress in enumerate(_list(spec.get("ingress"))):
        if not _dict(ingress).get("port"):
            yield Issue.error(f"spec.ingress[{index}].port", "an ingress listener needs a port")


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
    """Every JWT rule names its issuer; header locations name a header."""
    for index, jwt in enumerate(_list(spec.get("jwtRules"))):
        jwt = _dict(jwt)
        if not jwt.get("issuer"):
            yield Issue.error(f"spec.jwtRules[{index}].issuer", "issuer is required")
        for hindex, header in enumerate(_list(jwt.get("fromHeaders"))):
            if not _dict(header).get("name"):
                yield Issue.error(f"spec.jwtRules[{index}].fromHeaders[{hindex}].name", "a header name is required")
