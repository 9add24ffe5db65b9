"""Listener rows (istioctl's verbose listener summary): one row per filter chain."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from meshctl.envoy.dump import ConfigDump, Entry
from meshctl.envoy.fields import field, path
from meshctl.envoy.routes import describe_match
from meshctl.envoy.tables import Row

COLUMNS = (("ADDRESSES", "address"), ("PORT", "port"), ("MATCH", "match"), ("DESTINATION", "destination"))
HCM = "envoy.filters.network.http_connection_manager"
TCP = "envoy.filters.network.tcp_proxy"
_ALPN = {
    ("http/1.0", "http/1.1", "h2c", "istio-http/1.0", "istio-http/1.1", "istio-h2"): "App: HTTP TLS",
    ("istio", "istio-http/1.0", "istio-http/1.1", "istio-h2"): "App: Istio HTTP Plain",
    ("istio-peer-exchange", "istio"): "App: TCP TLS",
    ("http/1.0", "http/1.1", "h2c"): "App: HTTP",
}


@dataclass(frozen=True)
class ListenerFilter:
    """istioctl's ``--address``, ``--port`` and ``--type`` (HTTP, TCP, HTTP+TCP, UNKNOWN)."""

    address: str = ""
    port: int = 0
    type: str = ""

    def matches(self, listener: dict[str, Any]) -> bool:
        """True when the listener passes every given filter."""
        if self.address and self.address.lower() not in [a.lower() for a in addresses(listener)]:
            return False
        if self.port and listener_port(listener) != self.port:
            return False
        return not (self.type and listener_type(listener).lower() != self.type.lower())


def addresses(listener: dict[str, Any]) -> list[str]:
    """The socket address (or pipe path) followed by additional addresses."""
    address = field(listener, "address")
    first = path(address, "socket_address", "address") or path(address, "pipe", "path") or ""
    extra = [
        path(a, "address", "socket_address", "address") or ""
        for a in field(listener, "additional_addresses") or ()
    ]
    return [str(first), *extra]


def listener_port(listener: dict[str, Any]) -> int:
    """The socket address port (0 for internal listeners)."""
    return int(path(listener, "address", "socket_address", "port_value") or 0)


def filter_chains(listener: dict[str, Any]) -> list[Any]:
    """Filter chains plus the default chain."""
    chains = list(field(listener, "filter_chains") or ())
    default = field(listener, "default_filter_chain")
    return chains + [default] if default else chains


def _is_blackhole(flt: Any) -> bool:
    return "BlackHoleCluster" in json.dumps(field(flt, "typed_config") or {})


def listener_type(listener: dict[str, Any]) -> str:
    """HTTP, TCP, HTTP+TCP or UNKNOWN from the network filters."""
    n_http = n_tcp = 0
    for chain in filter_chains(listener):
        for flt in field(chain, "filters") or ():
            if field(flt, "name") == HCM:
                n_http += 1
            elif field(flt, "name") == TCP and not _is_blackhole(flt):
                n_tcp += 1
    if n_http:
        return "HTTP+TCP" if n_tcp else "HTTP"
    return "TCP" if n_tcp else "UNKNOWN"


def describe_chain_match(match: Any) -> str:
    """SNI, transport, ALPN and destination address of a filter chain match, else ``ALL``."""
    match = match or {}
    descrs = []
    if field(match, "server_names"):
        descrs.append("SNI: " + ",".join(field(match, "server_names")))
    if field(match, "transport_protocol"):
        descrs.append(f"Trans: {field(match, 'transport_protocol')}")
    alpn = field(match, "application_protocols")
    if alpn:
        descrs.append(_ALPN.get(tuple(alpn), "App: " + ",".join(alpn)))
    port = field(match, "destination_port")
    port_text = f":{port}" if port is not None else ""
    ranges = field(match, "prefix_ranges")
    if ranges:
        cidrs = ",".join(f"{field(r, 'address_prefix', '')}/{field(r, 'prefix_len', 0)}" for r in ranges)
        descrs.append(f"Addr: {cidrs}{port_text}")
    elif port_text:
        descrs.append(f"Addr: *{port_text}")
    return "; ".join(descrs) or "ALL"


def _cluster_label(cluster: str) -> str:
    return cluster if "Cluster" in cluster else f"Cluster: {cluster}"


def _match_all_cluster(route_config: Any) -> str:
    vhosts: list[Any] = list(field(route_config, "virtual_hosts") or [])
    if len(vhosts) != 1 or list(field(vhosts[0], "domains") or ()) != ["*"]:
        return ""
    routes: list[Any] = list(field(vhosts[0], "routes") or [])
    if len(routes) != 1 or path(routes[0], "match", "prefix") != "/":
        return ""
    cluster = path(routes[0], "route", "cluster")
    return _cluster_label(cluster) if isinstance(cluster, str) else ""


def describe_route_config(route_config: Any) -> str:
    """``Cluster: X`` for a match-all route, else ``Inline Route: domains matches; ...``."""
    cluster = _match_all_cluster(route_config)
    if cluster:
        return cluster
    parts = []
    for vh in field(route_config, "virtual_hosts") or ():
        domains = list(field(vh, "domains") or ())
        shown = "" if domains == ["*"] else "/".join(domains)
        matches = ", ".join(describe_match(field(r, "match")) for r in field(vh, "routes") or ())
        parts.append(f"{shown} {matches}" if shown else matches)
    return "Inline Route: " + "; ".join(parts)


def describe_destination(filters: Any) -> str:
    """Where a chain sends traffic: a route, an inline route, a cluster."""
    for flt in filters or ():
        config = field(flt, "typed_config") or {}
        if field(flt, "name") == HCM:
            if field(config, "route_config") is not None:
                return describe_route_config(field(config, "route_config"))
            rds = path(config, "rds", "route_config_name")
            return f"Route: {rds}" if rds else "HTTP"
        if field(flt, "name") == TCP and not _is_blackhole(flt):
            return _cluster_label(str(field(config, "cluster") or ""))
    return "Non-HTTP/Non-TCP"


def listener_rows_of(entry: Entry, prefixed: bool = False) -> list[Row]:
    """One row per filter chain, sorted by destination (descending) as istioctl does."""
    lst = entry.resource
    chains = [
        (describe_chain_match(field(c, "filter_chain_match")), describe_destination(field(c, "filters")))
        for c in filter_chains(lst)
    ]
    chains.sort(key=lambda mc: mc[1], reverse=True)
    name = f"listener/{field(lst, 'name', '')}" if prefixed else str(field(lst, "name", ""))
    rows: list[Row] = []
    for match, destination in chains:
        row: Row = {
            "name": name,
            "address": ",".join(addresses(lst)),
            "port": listener_port(lst),
            "match": match,
            "destination": destination,
        }
        if entry.version is not None:
            row["versionInfo"] = entry.version.raw
        rows.append(row)
    return rows


def listener_rows(dump: ConfigDump, flt: ListenerFilter | None = None, prefixed: bool = False) -> list[Row]:
    """Active listeners (dynamic then static), filtered, ordered by port, address, type."""
    flt = flt or ListenerFilter()
    entries = [e for e in dump.entries("listeners") if e.state == "dynamic"]
    entries += [e for e in dump.entries("listeners") if e.state == "static"]
    chosen = [e for e in entries if e.resource and flt.matches(e.resource)]
    chosen.sort(
        key=lambda e: (listener_port(e.resource), addresses(e.resource)[0], listener_type(e.resource))
    )
    rows: list[Row] = []
    for entry in chosen:
        rows += listener_rows_of(entry, prefixed)
    return rows
