"""Rows of ``meshctl ztunnel-config``: workloads, services, policies and certificates (pure functions)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from meshctl.envoy.versions import parse_time
from meshctl.report.data import Columns, Row, render_data, table
from meshctl.ztunnel.dump import SECTIONS, ZtunnelDump

COLUMNS: dict[str, Columns] = {
    "workloads": (("NAMESPACE", "namespace"), ("POD NAME", "name"), ("ADDRESS", "address"), ("NODE", "node"),
                  ("WAYPOINT", "waypoint"), ("PROTOCOL", "protocol")),
    "services": (("NAMESPACE", "namespace"), ("SERVICE NAME", "name"), ("SERVICE VIP", "vip"),
                 ("WAYPOINT", "waypoint"), ("ENDPOINTS", "endpoints")),
    "policies": (("NAMESPACE", "namespace"), ("POLICY NAME", "name"), ("ACTION", "action"), ("SCOPE", "scope")),
    "certificates": (("CERTIFICATE NAME", "identity"), ("TYPE", "type"), ("STATUS", "state"), ("VALID", "valid"),
                     ("SERIAL NUMBER", "serial"), ("NOT AFTER", "not_after"), ("NOT BEFORE", "not_before")),
}
TITLES = {"workloads": "Workloads", "services": "Services", "policies": "Policies", "certificates": "Certificates"}


@dataclass(frozen=True)
class Filter:
    """Row filters: namespace (workloads, services, policies), node and address (workloads)."""

    namespace: str = ""
    node: str = ""
    address: str = ""


def _unnetwork(address: str) -> str:
    """``network/10.0.0.1`` -> ``10.0.0.1`` (ztunnel prefixes addresses with their network)."""
    return address.rpartition("/")[2] if "/" in address else address


def _service_by_vip(dump: ZtunnelDump) -> dict[str, str]:
    """VIP -> service name, so a waypoint address can be shown by name."""
    return {_unnetwork(str(v)): str(svc.get("name", "")) for svc in dump.services
            for v in svc.get("vips") or svc.get("addresses") or []}


def _waypoint(obj: dict[str, Any], names: dict[str, str]) -> str:
    """The waypoint of a workload or service: its service name when known, else its address; None without."""
    waypoint = obj.get("waypoint")
    if isinstance(waypoint, dict) and waypoint.get("destination"):
        address = _unnetwork(str(waypoint["destination"]))
        return names.get(address) or address
    return "None"


def workload_rows(dump: ZtunnelDump, flt: Filter = Filter()) -> list[Row]:
    """One row per workload, sorted by namespace and name."""
    rows, names = [], _service_by_vip(dump)
    for wl in dump.workloads:
        addresses = [_unnetwork(str(a)) for a in wl.get("workloadIps") or []]
        row = {"namespace": wl.get("namespace", ""), "name": wl.get("name", ""),
               "address": addresses[0] if addresses else "", "node": wl.get("node", ""),
               "waypoint": _waypoint(wl, names), "protocol": wl.get("protocol", "TCP")}
        if flt.namespace and row["namespace"] != flt.namespace or flt.node and row["node"] != flt.node:
            continue
        if flt.address and flt.address not in addresses:
            continue
        rows.append(row)
    return sorted(rows, key=lambda r: (str(r["namespace"]), str(r["name"])))


def _endpoints(svc: dict[str, Any]) -> str:
    endpoints = svc.get("endpoints")
    if not isinstance(endpoints, dict):
        return "0/0"
    total = len(endpoints)
    healthy = sum(1 for e in endpoints.values() if not isinstance(e, dict) or e.get("status", "Healthy") == "Healthy")
    return f"{healthy}/{total}"


def service_rows(dump: ZtunnelDump, flt: Filter = Filter()) -> list[Row]:
    """One row per service, sorted by namespace and name."""
    rows, names = [], _service_by_vip(dump)
    for svc in dump.services:
        vips = [_unnetwork(str(v)) for v in svc.get("vips") or svc.get("addresses") or []]
        row = {"namespace": svc.get("namespace", ""), "name": svc.get("name", ""),
               "vip": vips[0] if vips else "", "waypoint": _waypoint(svc, names), "endpoints": _endpoints(svc)}
        if not flt.namespace or row["namespace"] == flt.namespace:
            rows.append(row)
    return sorted(rows, key=lambda r: (str(r["namespace"]), str(r["name"])))


def policy_rows(dump: ZtunnelDump, flt: Filter = Filter()) -> list[Row]:
    """One row per authorization policy ztunnel enforces."""
    rows = [{"namespace": p.get("namespace", ""), "name": p.get("name", ""), "action": p.get("action", ""),
             "scope": p.get("scope", "")} for p in dump.policies]
    rows = [r for r in rows if not flt.namespace or r["namespace"] == flt.namespace]
    return sorted(rows, key=lambda r: (str(r["namespace"]), str(r["name"])))


def _parse_time(text: Any) -> datetime | None:
    return parse_time(str(text) if text is not None else None)


def _serial_hex(serial: Any) -> str:
    text = str(serial or "")
    return format(int(text), "x") if text.isdigit() else text


def certificate_rows(dump: ZtunnelDump, now: datetime) -> list[Row]:
    """One row per certificate: each identity's chain (leaf first) and its roots."""
    rows = []
    for entry in dump.certificates:
        chain = [c for c in entry.get("certChain") or [] if isinstance(c, dict)]
        roots = [c for c in entry.get("rootCerts") or [] if isinstance(c, dict)]
        typed = [("Leaf" if i == 0 else "Intermediate", c) for i, c in enumerate(chain)]
        typed += [("Root", c) for c in roots]
        if not typed:
            rows.append({"identity": entry.get("identity", ""), "type": "", "state": entry.get("state", ""),
                         "valid": False, "serial": "", "not_after": "", "not_before": ""})
        for kind, cert in typed:
            start, end = _parse_time(cert.get("validFrom")), _parse_time(cert.get("expirationTime"))
            rows.append({"identity": entry.get("identity", ""), "type": kind, "state": entry.get("state", ""),
                         "valid": bool(start and end and start <= now <= end),
                         "serial": _serial_hex(cert.get("serialNumber")),
                         "not_after": cert.get("expirationTime", ""), "not_before": cert.get("validFrom", "")})
    return rows


def rows_of(dump: ZtunnelDump, section: str, flt: Filter, now: datetime) -> list[Row]:
    """The rows of one section."""
    if section == "certificates":
        return certificate_rows(dump, now)
    return {"workloads": workload_rows, "services": service_rows, "policies": policy_rows}[section](dump, flt)


def _selected(dump: ZtunnelDump, section: str, flt: Filter) -> list[dict[str, Any]]:
    """The section's own objects, filtered as its rows are (for -o json|yaml)."""
    items = dump.section(section)
    if section == "certificates" or not (flt.namespace or flt.node or flt.address):
        return items
    keep = {(r["namespace"], r["name"]) for r in rows_of(dump, section, flt, datetime.min)}
    return [i for i in items if (i.get("namespace", ""), i.get("name", "")) in keep]


def render_section(dump: ZtunnelDump, section: str, output: str, flt: Filter, now: datetime) -> str:
    """A table of one section, or ztunnel's own objects as JSON or YAML."""
    if output == "table":
        return table(rows_of(dump, section, flt, now), COLUMNS[section])
    return render_data(_selected(dump, section, flt), output)


def render_all(dump: ZtunnelDump, output: str, flt: Filter, now: datetime) -> str:
    """Every section: tables under titles, or the dump's sections (and version) as JSON or YAML."""
    if output != "table":
        data: dict[str, Any] = {s: _selected(dump, s, flt) for s in SECTIONS}
        if dump.version:
            data["version"] = dump.version
        return render_data(data, output)
    parts = [f"{TITLES[s]}:\n" + table(rows_of(dump, s, flt, now), COLUMNS[s]) for s in SECTIONS]
    return "\n".join(parts)
