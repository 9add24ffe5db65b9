"""Route rows (istioctl's verbose route summary): one row per route of each virtual host."""

from __future__ import annotations

from functools import cmp_to_key
from typing import Any

from meshctl.envoy.clusters import describe_management
from meshctl.envoy.dump import ConfigDump, Entry
from meshctl.envoy.fields import field, path
from meshctl.envoy.tables import Row

COLUMNS = (
    ("NAME", "name"),
    ("VHOST NAME", "vhost"),
    ("DOMAINS", "domains"),
    ("MATCH", "match"),
    ("VIRTUAL SERVICE", "virtualService"),
)


def describe_match(match: Any) -> str:
    """``/get*`` for a prefix, the path, ``PathPrefix:/x``, ``regex ...`` (headers ignored)."""
    conds = []
    if field(match, "prefix"):
        conds.append(f"{field(match, 'prefix')}*")
    if field(match, "path_separated_prefix"):
        conds.append(f"PathPrefix:{field(match, 'path_separated_prefix')}")
    if field(match, "path"):
        conds.append(str(field(match, "path")))
    regex = path(match, "safe_regex", "regex")
    if regex is not None:
        conds.append(f"regex {regex}")
    return " ".join(conds)


def describe_domains(domains: list[str]) -> str:
    """One domain as is; else the first two without a port, ``+ N more...``."""
    if not domains:
        return ""
    if len(domains) == 1:
        return domains[0]
    plain = [d for d in domains if ":" not in d or (d.count(":") > 2 and d.endswith("]"))]
    plain = _unexpand(plain)
    if len(plain) > 2:
        return f"{', '.join(plain[:2])} + {len(plain) - 2} more..."
    return ", ".join(plain)


def _unexpand(domains: list[str]) -> list[str]:
    unique = set(domains)
    drop = {
        d
        for d in domains
        for suffix in (".svc.cluster.local", ".svc")
        if d.endswith(suffix) and d[: -len(suffix)] in unique
    }
    return [d for d in domains if d not in drop]


def _is_passthrough(route: Any) -> bool:
    return path(route, "route", "cluster") == "PassthroughCluster"


def route_rows_of(entry: Entry, prefixed: bool = False) -> list[Row]:
    """The rows of one RouteConfiguration."""
    name = entry.name or str(entry.resource.get("name", ""))
    shown = f"route/{name}" if prefixed else name
    rows: list[Row] = []
    for vhost in field(entry.resource, "virtual_hosts") or ():
        domains = describe_domains(list(field(vhost, "domains") or ()))
        routes = field(vhost, "routes") or ()
        for route in routes:
            if not _is_passthrough(route):
                rows.append(
                    {
                        "name": shown,
                        "vhost": field(vhost, "name", ""),
                        "domains": domains,
                        "match": describe_match(field(route, "match")),
                        "virtualService": describe_management(field(route, "metadata")),
                    }
                )
        if not routes:
            rows.append(
                {
                    "name": shown,
                    "vhost": field(vhost, "name", ""),
                    "domains": domains,
                    "match": "/*",
                    "virtualService": "404",
                }
            )
    if entry.version is not None:
        for row in rows:
            row["versionInfo"] = entry.version.raw
    return rows


def _numeric_first(a: Entry, b: Entry) -> int:
    if a.name.isdigit() and b.name.isdigit():
        return int(a.name) - int(b.name)
    return 0


def route_rows(dump: ConfigDump, name: str = "", prefixed: bool = False) -> list[Row]:
    """Rows of dynamic then static route configurations, ``--name`` filtered."""
    entries = [e for e in dump.entries("routes") if e.state == "dynamic"]
    entries += [e for e in dump.entries("routes") if e.state == "static"]
    entries = sorted(entries, key=cmp_to_key(_numeric_first))
    rows: list[Row] = []
    for entry in entries:
        if not name or entry.name == name:
            rows += route_rows_of(entry, prefixed)
    return rows
