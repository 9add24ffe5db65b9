"""VirtualService routes that reach a host: matches, destinations with weights, mirrors, policies."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from meshctl.analysis.hosts import MESH_GATEWAY, short_or_full_name, to_fqdn
from meshctl.conventions.hosts import hosts_overlap
from meshctl.describe.shape import obj, objs, strs
from meshctl.resource import Resource

Obj = dict[str, Any]


def _match_text(match: Obj) -> str:
    """One HTTP match as ``uri prefix /api, header x-user exact bob, port 80``."""
    parts = []
    for key in ("uri", "scheme", "method", "authority"):
        cond = match.get(key)
        if isinstance(cond, dict):
            parts += [f"{key} {op} {value}" for op, value in cond.items()]
    for key in ("headers", "queryParams"):
        for name, cond in obj(match.get(key)).items():
            if isinstance(cond, dict):
                parts += [f"{key[:-1] if key == 'headers' else 'query'} {name} {op} {v}" for op, v in cond.items()]
    for key in ("port", "sourceNamespace", "sniHosts", "destinationSubnets", "gateways"):
        if match.get(key) not in (None, [], ""):
            parts.append(f"{key} {match[key]}")
    return ", ".join(parts) or "any"


def gateways_of(vs: Resource, route: Obj) -> list[str]:
    """The gateways a route is bound to (``ns/name`` or ``mesh``), route matches narrowing the VS's."""
    bound = strs(vs.spec.get("gateways")) or [MESH_GATEWAY]
    narrowed = {g for m in objs(route.get("match")) for g in strs(m.get("gateways"))}
    chosen = [g for g in bound if g in narrowed] if narrowed else bound
    out = []
    for ref in chosen:
        if ref == MESH_GATEWAY:
            out.append(MESH_GATEWAY)
        else:
            ns, name = short_or_full_name(ref, vs.namespace)
            out.append(f"{ns}/{name}")
    return out


def _destination(dest: Obj, namespace: str | None, domain: str) -> Obj:
    target = obj(dest.get("destination")) or dest
    port = obj(target.get("port")).get("number")
    return {
        "host": to_fqdn(str(target.get("host", "")), namespace, domain),
        "subset": str(target.get("subset") or ""),
        "port": port if isinstance(port, int) else None,
        "weight": dest.get("weight") if isinstance(dest.get("weight"), int) else None,
    }


def _mirrors(route: Obj, namespace: str | None, domain: str) -> list[Obj]:
    found = []
    if isinstance(route.get("mirror"), dict):
        found.append({**route["mirror"], "percentage": obj(route.get("mirrorPercentage")).get("value")})
    for item in objs(route.get("mirrors")):
        if isinstance(item.get("destination"), dict):
            found.append({**item["destination"], "percentage": obj(item.get("percentage")).get("value")})
    out = []
    for m in found:
        pct = m.get("percentage")
        shown = float(pct) if isinstance(pct, int | float) and not isinstance(pct, bool) else 100.0
        out.append({**_destination(m, namespace, domain), "percentage": shown})
    return out


def vs_routes(vs: Resource, domain: str) -> Iterable[Obj]:
    """Every http, tls and tcp route of a VirtualService, flattened with its kind and index."""
    for kind in ("http", "tls", "tcp"):
        routes = vs.spec.get(kind)
        for index, route in enumerate(routes if isinstance(routes, list) else []):
            if not isinstance(route, dict):
                continue
            dests = [_destination(d, vs.namespace, domain) for d in objs(route.get("route"))]
            if len(dests) == 1 and dests[0]["weight"] is None:
                dests[0]["weight"] = 100
            yield {
                "virtualService": vs.ref(),
                "kind": kind,
                "index": index,
                "name": str(route.get("name") or ""),
                "hosts": [to_fqdn(h, vs.namespace, domain) for h in strs(vs.spec.get("hosts"))],
                "gateways": gateways_of(vs, route),
                "match": [_match_text(m) for m in objs(route.get("match"))] or ["any"],
                "destinations": dests,
                "mirrors": _mirrors(route, vs.namespace, domain),
                "timeout": route.get("timeout"),
                "retries": route.get("retries"),
                "fault": route.get("fault"),
                "redirect": route.get("redirect"),
                "rewrite": route.get("rewrite"),
            }


def routes_to(virtual_services: Iterable[Resource], fqdn: str, domain: str) -> list[Obj]:
    """Routes whose destinations or mirrors include ``fqdn`` (wildcard-aware)."""
    out = []
    for vs in sorted(virtual_services, key=lambda r: r.ref()):
        for route in vs_routes(vs, domain):
            targets = [d["host"] for d in route["destinations"]] + [m["host"] for m in route["mirrors"]]
            if any(hosts_overlap(t, fqdn) for t in targets):
                out.append(route)
    return out
