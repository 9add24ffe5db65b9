"""Endpoint rows from EDS in a dump, or from a live Envoy's ``/clusters?format=json``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from meshctl.envoy.clusters import sort_key
from meshctl.envoy.dump import ConfigDump
from meshctl.envoy.fields import field, path
from meshctl.envoy.tables import Row

#: The EDS view of ``pc all`` (from a config dump), as istioctl prints it.
COLUMNS = (("NAME", "endpoint"), ("STATUS", "status"), ("LOCALITY", "locality"), ("CLUSTER", "cluster"))
#: ``pc endpoints`` (from ``/clusters?format=json``), as istioctl prints it.
STATUS_COLUMNS = (
    ("ENDPOINT", "endpoint"), ("STATUS", "status"), ("OUTLIER CHECK", "outlierCheck"), ("CLUSTER", "cluster")
)


@dataclass(frozen=True)
class EndpointFilter:
    """istioctl's ``--address``, ``--port``, ``--cluster``, ``--status`` (case-insensitive)."""

    address: str = ""
    port: int = 0
    cluster: str = ""
    status: str = ""

    def matches(self, row: Row) -> bool:
        """True when the row passes every given filter."""
        shown = [a.lower() for a in row["addresses"]]
        if self.address and self.address.lower() not in shown + [a.rsplit(":", 1)[0] for a in shown]:
            return False
        if self.port and row["_port"] != self.port:
            return False
        if self.cluster and row["cluster"].lower() != self.cluster.lower():
            return False
        return not (self.status and row["status"].lower() != self.status.lower())


def format_address(address: Any) -> str:
    """``ip:port``, a pipe path, ``envoy://listener/id`` or ``unknown``."""
    sock = field(address, "socket_address")
    if sock is not None:
        return f"{field(sock, 'address', '')}:{field(sock, 'port_value', 0)}"
    pipe = field(address, "pipe")
    if pipe is not None:
        return f"unix://{field(pipe, 'path', '')}"
    internal = field(address, "envoy_internal_address")
    if internal is not None and field(internal, "server_listener_name") is not None:
        return f"envoy://{field(internal, 'server_listener_name')}/{field(internal, 'endpoint_id', '')}"
    return "unknown"


def locality(loc: Any) -> str:
    """``region/zone/subzone`` without empty trailing parts."""
    if not isinstance(loc, dict):
        return ""
    parts = [field(loc, "region", ""), field(loc, "zone", ""), field(loc, "sub_zone", "")]
    if not parts[1]:
        return parts[0]
    return "/".join(parts) if parts[2] else "/".join(parts[:2])


def _row(addresses: list[str], port: int, status: str, loc: str, cluster: str) -> Row:
    return {
        "endpoint": ",".join(addresses),
        "status": status,
        "locality": loc,
        "cluster": cluster,
        "addresses": addresses,
        "_port": port,
    }


def _public(rows: list[Row], prefixed: bool) -> list[Row]:
    out = []
    for row in rows:
        clean = {k: v for k, v in row.items() if k not in ("addresses", "_port")}
        if prefixed:
            clean["endpoint"] = f"endpoint/{clean['endpoint']}"
        out.append(clean)
    return out


def endpoint_rows(dump: ConfigDump, flt: EndpointFilter | None = None, prefixed: bool = False) -> list[Row]:
    """EDS rows: dynamic then static assignments sorted like clusters, endpoints in order."""
    flt = flt or EndpointFilter()
    entries = [e for e in dump.entries("endpoints") if e.state == "dynamic"]
    entries += [e for e in dump.entries("endpoints") if e.state == "static"]
    entries.sort(key=lambda e: sort_key(str(field(e.resource, "cluster_name", ""))))
    rows: list[Row] = []
    for entry in entries:
        cluster = str(field(entry.resource, "cluster_name", ""))
        for llb in field(entry.resource, "endpoints") or ():
            for ep in field(llb, "lb_endpoints") or ():
                endpoint = field(ep, "endpoint") or {}
                addrs = [format_address(field(endpoint, "address"))]
                addrs += [
                    format_address(field(a, "address")) for a in field(endpoint, "additional_addresses") or ()
                ]
                port = int(path(endpoint, "address", "socket_address", "port_value") or 0)
                row = _row(
                    addrs,
                    port,
                    str(field(ep, "health_status") or "UNKNOWN"),
                    locality(field(llb, "locality")),
                    cluster,
                )
                if entry.version is not None:
                    row["versionInfo"] = entry.version.raw
                if flt.matches(row):
                    rows.append(row)
    return _public(rows, prefixed)


def _live_status(host: Any, outlier_apart: bool = False) -> str:
    """UNHEALTHY when a health flag is set (outlier ejection too unless it has its own column), else the
    EDS health status."""
    health = field(host, "health_status") or {}
    for flag in (
        "failed_active_health_check",
        *(() if outlier_apart else ("failed_outlier_check",)),
        "failed_active_degraded_check",
        "pending_dynamic_removal",
        "pending_active_hc",
        "excluded_via_immediate_hc_fail",
        "active_hc_timeout",
    ):
        if field(health, flag):
            return "UNHEALTHY"
    return str(field(health, "eds_health_status") or "HEALTHY")


def live_endpoint_rows(
    clusters_json: Any, flt: EndpointFilter | None = None, prefixed: bool = False
) -> list[Row]:
    """Rows from ``/clusters?format=json`` (``cluster_statuses[].host_statuses[]``)."""
    flt = flt or EndpointFilter()
    statuses = sorted(
        field(clusters_json, "cluster_statuses") or (), key=lambda c: sort_key(str(field(c, "name", "")))
    )
    rows: list[Row] = []
    for cluster in statuses:
        for host in field(cluster, "host_statuses") or ():
            addr = field(host, "address")
            port = int(path(addr, "socket_address", "port_value") or 0)
            row = _row(
                [format_address(addr)],
                port,
                _live_status(host),
                locality(field(host, "locality")),
                str(field(cluster, "name", "")),
            )
            if flt.matches(row):
                rows.append(row)
    return _public(rows, prefixed)


def _outlier(host: Any) -> str:
    """istioctl's OUTLIER CHECK: FAILED when outlier detection has ejected the host, else OK."""
    return "FAILED" if field(field(host, "health_status") or {}, "failed_outlier_check") else "OK"


def status_rows_and_objects(clusters_json: Any, flt: EndpointFilter | None = None) -> tuple[list[Row], list[Any]]:
    """Rows of ``pc endpoints`` sorted by address then cluster, and the ClusterStatus objects behind them
    (each with only the hosts shown)."""
    flt = flt or EndpointFilter()
    rows: list[Row] = []
    objects: list[Any] = []
    for cluster in field(clusters_json, "cluster_statuses") or ():
        if not isinstance(cluster, dict):
            continue
        kept = []
        for host in field(cluster, "host_statuses") or ():
            addr = field(host, "address")
            row = _row([format_address(addr)], int(path(addr, "socket_address", "port_value") or 0),
                       _live_status(host, True), locality(field(host, "locality")),
                       str(field(cluster, "name", "")))
            row["outlierCheck"] = _outlier(host)
            if flt.matches(row):
                rows.append(row)
                kept.append(host)
        if kept:
            key = "host_statuses" if "host_statuses" in cluster else "hostStatuses"
            objects.append({**cluster, key: kept})
    rows.sort(key=lambda r: (r["endpoint"], r["cluster"]))
    return _public(rows, False), objects


def eds_as_statuses(dump: ConfigDump) -> dict[str, Any]:
    """A dump's EDS in the shape of ``/clusters?format=json`` (only what the endpoint rows read)."""
    statuses = []
    for entry in dump.entries("endpoints"):
        hosts = []
        for llb in field(entry.resource, "endpoints") or ():
            for ep in field(llb, "lb_endpoints") or ():
                health = {"eds_health_status": str(field(ep, "health_status") or "UNKNOWN")}
                hosts.append({"address": field(field(ep, "endpoint") or {}, "address"),
                              "health_status": health, "locality": field(llb, "locality")})
        statuses.append({"name": str(field(entry.resource, "cluster_name", "")), "host_statuses": hosts})
    return {"cluster_statuses": statuses}
