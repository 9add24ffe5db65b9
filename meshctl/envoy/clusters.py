"""Cluster rows with istioctl's columns, filters and order."""

from __future__ import annotations

from typing import Any

from meshctl.envoy.dump import ConfigDump, Entry
from meshctl.envoy.fields import field, path
from meshctl.envoy.tables import Row
from meshctl.record import Record

COLUMNS = (
    ("SERVICE FQDN", "fqdn"),
    ("PORT", "port"),
    ("SUBSET", "subset"),
    ("DIRECTION", "direction"),
    ("TYPE", "type"),
    ("DESTINATION RULE", "destinationRule"),
)


class ClusterFilter(Record):
    """istioctl's ``--fqdn``, ``--port``, ``--subset``, ``--direction`` (substring matches on the name)."""

    __slots__ = ("fqdn", "port", "subset", "direction")

    def __init__(self, fqdn: str = "", port: int = 0, subset: str = "", direction: str = "") -> None:
        self.fqdn = fqdn
        self.port = port
        self.subset = subset
        self.direction = direction

    def matches(self, name: str) -> bool:
        """True when the cluster name passes every given filter."""
        if self.fqdn and self.fqdn not in name:
            return False
        if self.direction and self.direction not in name:
            return False
        if self.subset and self.subset not in name:
            return False
        return not (self.port and f"|{self.port}|" not in name)


def parse_subset_key(name: str) -> tuple[str, str, str, int]:
    """(direction, subset, fqdn, port) of ``outbound|80|v1|reviews.default.svc.cluster.local``."""
    parts = name.split("|")
    if len(parts) <= 3:
        return "", "", name, 0
    port = int(parts[1]) if parts[1].isdigit() else 0
    return parts[0], parts[2], parts[3], port


def sort_key(name: str) -> tuple[str, str, int, str]:
    """istioctl's order: fqdn, subset, port, direction."""
    direction, subset, fqdn, port = parse_subset_key(name)
    return fqdn, subset, port, direction


def describe_management(metadata: Any) -> str:
    """``name.namespace`` of the Istio config (DestinationRule, VirtualService) that made a resource."""
    config = path(metadata, "filter_metadata", "istio", "config")
    if not isinstance(config, str):
        return ""
    pieces = config.split("/")
    if config.startswith("/apis/networking.istio.io/") and len(pieces) == 8 and pieces[4] == "namespaces":
        return f"{pieces[7]}.{pieces[5]}"
    return "<unknown>"


def cluster_row(entry: Entry, prefixed: bool = False) -> Row:
    """One row: the JSON keys are the column names in camelCase."""
    name = entry.name
    res = entry.resource
    ctype = str(field(res, "type") or "STATIC")
    if len(name.split("|")) > 3:
        direction, subset, fqdn, port = parse_subset_key(name)
        row: Row = {"name": name, "fqdn": fqdn, "port": port, "subset": subset or "-", "direction": direction}
    else:
        label = f"cluster/{name}" if prefixed else name
        row = {"name": name, "fqdn": label, "port": "-", "subset": "-", "direction": "-"}
    if prefixed:
        row["name"] = f"cluster/{name}"
    row.update(type=ctype, destinationRule=describe_management(field(res, "metadata")))
    if entry.version is not None:
        row["versionInfo"] = entry.version.raw
    return row


def cluster_rows(dump: ConfigDump, flt: ClusterFilter | None = None, prefixed: bool = False) -> list[Row]:
    """Active clusters (dynamic then static), filtered and in istioctl's order."""
    flt = flt or ClusterFilter()
    entries = [e for e in dump.entries("clusters") if e.state == "dynamic"]
    entries += [e for e in dump.entries("clusters") if e.state == "static"]
    chosen = sorted((e for e in entries if flt.matches(e.name)), key=lambda e: sort_key(e.name))
    return [cluster_row(e, prefixed) for e in chosen]
