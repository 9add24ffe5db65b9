"""The text rendering of a description (``-o text``, the default)."""

from __future__ import annotations

from typing import Any

from meshctl.describe.model import Description


def _route_lines(route: dict[str, Any]) -> list[str]:
    where = route["name"] or f"{route['kind']}[{route['index']}]"
    lines = [f"VirtualService {route['virtualService']} route {where} (hosts {', '.join(route['hosts'])}; "
             f"gateways {', '.join(route['gateways'])})",
             f"   match: {'; '.join(route['match'])}"]
    for dest in route["destinations"]:
        target = dest["host"] + (f":{dest['port']}" if dest["port"] else "")
        subset = f" subset {dest['subset']}" if dest["subset"] else ""
        lines.append(f"   -> {target}{subset}  weight {dest['weight'] if dest['weight'] is not None else 0}")
    for mirror in route["mirrors"]:
        lines.append(f"   mirror -> {mirror['host']}{' subset ' + mirror['subset'] if mirror['subset'] else ''}"
                     f"  {mirror['percentage']:g}%")
    for key in ("timeout", "retries", "fault", "redirect", "rewrite"):
        if route.get(key) not in (None, {}, ""):
            lines.append(f"   {key}: {route[key]}")
    return lines


def render_text(desc: Description) -> str:
    """Sections in the order a reader follows a request: who, services, routes, rules, security, findings."""
    title = "Pod" if desc.kind == "pod" else "Service"
    out = [f"{title}: {desc.namespace}/{desc.name}"]
    if desc.workloads:
        out.append(f"   Workloads: {', '.join(desc.workloads)}")
    if desc.injection:
        state = "injected" if desc.injection["injected"] else "not injected"
        out.append(f"   Sidecar injection: {state} ({desc.injection['reason']})")
    for svc in desc.services:
        ports = ", ".join(f"{p['name'] or '-'} {p['port']}->{p['targetPort']}" for p in svc["ports"])
        out.append(f"Service {svc['service']} ({svc['host']}): {ports}")
    if not desc.services:
        out.append("Services: none select it")
    for route in desc.routes:
        out += _route_lines(route)
    if not desc.routes:
        out.append("VirtualServices: none route to it (default routing)")
    for gw in desc.gateways:
        servers = "; ".join(f"{s['protocol']} {s['port']} {','.join(s['hosts'])}" for s in gw["servers"])
        out.append(f"Gateway {gw['gateway']}" + (f": {servers}" if gw["found"] else ": not found"))
    for dr in desc.destination_rules:
        tls = ", ".join(f"{p} {m}" for p, m in dr["tlsMode"].items())
        out.append(f"DestinationRule {dr['destinationRule']} for {dr['host']}: TLS {tls}")
        for subset in dr["subsets"]:
            labels = ",".join(f"{k}={v}" for k, v in subset["labels"].items())
            mark = "  <- this pod" if subset["selectsThisPod"] else ""
            out.append(f"   subset {subset['name']} ({labels}){mark}")
    if not desc.destination_rules:
        out.append("DestinationRules: none (auto mTLS, default traffic policy)")
    if desc.mtls:
        out.append("Effective mTLS (inbound, per port):")
        out += [f"   {row['port']}: {row['mode']}  ({row['decidedBy']})" for row in desc.mtls]
    for ap in desc.authorization:
        out.append(f"AuthorizationPolicy {ap['authorizationPolicy']}: {ap['action']} ({ap['scope']}, "
                   f"{ap['rules']} rule(s))")
    if desc.kind == "pod" and not desc.authorization:
        out.append("AuthorizationPolicies: none select it (all requests allowed)")
    if desc.sidecar:
        hosts = ", ".join(desc.sidecar["egressHosts"]) or "-"
        out.append(f"Sidecar {desc.sidecar['sidecar']} ({desc.sidecar['scope']}): egress {hosts}")
    elif desc.kind == "pod":
        out.append("Sidecar: none (the proxy sees the whole mesh)")
    if desc.findings:
        out.append("Findings of analyze:")
        out += [f"   {f['level']} [{f['code']}] ({f['resource']}) {f['message']}" for f in desc.findings]
    return "\n".join(out) + "\n"
