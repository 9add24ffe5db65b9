"""``proxy-status``: istiod's view of every proxy's xDS sync, and one proxy's config istiod vs Envoy.

Pure: istiod's ``/debug/syncz`` document (a list of SyncStatus objects) in, rows out; two config dumps in,
per-section verdicts and differing resources out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from meshctl.envoy.diff import diff_rows
from meshctl.envoy.dump import ConfigDump, from_document
from meshctl.envoy.tables import Row, table
from meshctl.errors import InputError

SYNCED = "SYNCED"
NOT_SENT = "NOT SENT"
STALE = "STALE"
#: (column, SyncStatus field prefix) in istioctl's order.
TYPES = (("CDS", "cluster"), ("LDS", "listener"), ("EDS", "endpoint"), ("RDS", "route"), ("ECDS", "extensionconfig"))
#: Types a proxy may legitimately never be sent (ECDS: only when the mesh has extension configs).
OPTIONAL_TYPES = frozenset({"ECDS"})
COLUMNS = (
    ("NAME", "proxy"), ("CLUSTER", "cluster"), ("CDS", "CDS"), ("LDS", "LDS"), ("EDS", "EDS"), ("RDS", "RDS"),
    ("ECDS", "ECDS"), ("ISTIOD", "istiod"), ("VERSION", "version"),
)
#: Sections istiod generates for a proxy, compared with Envoy's dump.
COMPARED = ("clusters", "listeners", "routes")


def xds_status(sent: str, acked: str) -> str:
    """SYNCED when the last nonce sent was acked, NOT SENT when none was sent, else STALE."""
    if not sent:
        return NOT_SENT
    if sent == acked:
        return SYNCED
    return STALE


def _text(obj: dict[str, Any], key: str, where: str = "/debug/syncz") -> str:
    value = obj.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError(f"{where}: {key} of proxy {obj.get('proxy')!r} is not a string")
    return value


def sync_rows(statuses: Sequence[tuple[str, str, Any]]) -> list[Row]:
    """Rows from ``(istiod, istiod version, /debug/syncz document)``, sorted by proxy; InputError for a
    wrong shape."""
    rows: list[Row] = []
    for istiod, istiod_version, doc in statuses:
        where = f"{istiod} /debug/syncz"
        if not isinstance(doc, list):
            raise InputError(f"{istiod} /debug/syncz is not a list of proxy sync states")
        for item in doc:
            if not isinstance(item, dict):
                raise InputError(f"{istiod} /debug/syncz holds an entry that is not an object")
            row: Row = {
                "proxy": _text(item, "proxy", where),
                "cluster": _text(item, "cluster_id", where),
                "type": _text(item, "proxy_type", where),
                "istiod": istiod,
                "istiodVersion": istiod_version,
                "version": _text(item, "istio_version", where) or _text(item, "proxy_version", where),
            }
            nonces: dict[str, dict[str, str]] = {}
            for column, prefix in TYPES:
                sent, acked = _text(item, f"{prefix}_sent", where), _text(item, f"{prefix}_acked", where)
                row[column] = xds_status(sent, acked)
                nonces[column] = {"sent": sent, "acked": acked}
            row["nonces"] = nonces
            rows.append(row)
    rows.sort(key=lambda r: (r["proxy"], r["istiod"]))
    return rows


def out_of_sync(rows: Sequence[Row]) -> list[Row]:
    """Proxies with a STALE type, or a required type NOT SENT."""
    return [
        r for r in rows
        if any(r[c] == STALE or (r[c] == NOT_SENT and c not in OPTIONAL_TYPES) for c, _ in TYPES)
    ]


def render_sync(rows: Sequence[Row]) -> str:
    """istioctl's proxy-status table; a STALE cell names the nonces sent and acked."""
    shown = []
    for row in rows:
        cells = dict(row)
        if row.get("istiodVersion"):
            cells["istiod"] = f"{row['istiod']} ({row['istiodVersion']})"
        for column, _ in TYPES:
            if row[column] == STALE:
                n = row["nonces"][column]
                cells[column] = f"STALE (sent {n['sent']}, acked {n['acked'] or 'never'})"
        shown.append(cells)
    return table(shown, COLUMNS, 3)


def _snake(name: str) -> str:
    out = []
    for ch in name:
        if ch.isupper():
            out.append("_" + ch.lower())
        else:
            out.append(ch)
    return "".join(out)


def normalize(node: Any) -> Any:
    """Both JSON spellings (Envoy's snake_case, protojson's camelCase) as one, for comparison."""
    if isinstance(node, dict):
        return {(k if k.startswith("@") else _snake(k)): normalize(v) for k, v in node.items()}
    if isinstance(node, list):
        return [normalize(v) for v in node]
    return node


@dataclass(frozen=True)
class Comparison:
    """Per compared section MATCH or DIFFERS, and the resources that differ (istiod = A, Envoy = B)."""

    sections: list[Row]
    differences: list[Row]

    @property
    def matches(self) -> bool:
        """True when every compared section matches."""
        return not self.differences


def _dynamic(dump: ConfigDump, origin: str) -> ConfigDump:
    """Only the sections istiod sends and only their xDS-delivered (dynamic) resources."""
    doc = normalize({"configs": [s.raw for s in dump.sections if s.key in COMPARED]})
    model = from_document(doc, origin)
    return model


def compare(istiod: ConfigDump, envoy: ConfigDump) -> Comparison:
    """istiod's config for a proxy against the proxy's own dump; version_info and last_updated ignored."""
    left, right = _dynamic(istiod, istiod.origin), _dynamic(envoy, envoy.origin)
    rows = [r for r in diff_rows(left, right) if r["state"] in ("dynamic", "warming")]
    for row in rows:
        row["change"] = {"added": "only in Envoy", "removed": "only in istiod", "changed": "differs"}[row["change"]]
    sections = [
        {"section": key, "status": "DIFFERS" if any(r["section"] == key for r in rows) else "MATCH"}
        for key in COMPARED
    ]
    return Comparison(sections, rows)


def render_comparison(proxy: str, result: Comparison) -> str:
    """One line per section, then the differing resources."""
    lines = [f"{row['section'].capitalize()} {'match' if row['status'] == 'MATCH' else 'differ'}"
             for row in result.sections]
    out = f"istiod's config for {proxy} against Envoy's dump (version_info and last_updated ignored):\n"
    out += "".join(f"  {line}\n" for line in lines)
    if result.differences:
        out += "\n" + table(result.differences, (("CHANGE", "change"), ("SECTION", "section"), ("NAME", "name"),
                                                 ("ISTIOD VERSION", "versionA"), ("ENVOY VERSION", "versionB")), 3)
    return out
