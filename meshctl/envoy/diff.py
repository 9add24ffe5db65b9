"""``proxy-config diff``: resources added, removed and changed between two dumps, with versions."""

from __future__ import annotations

import json
from typing import Any

from meshctl.envoy.dump import ConfigDump, Entry
from meshctl.envoy.tables import Row, table

COLUMNS = (
    ("CHANGE", "change"),
    ("SECTION", "section"),
    ("NAME", "name"),
    ("VERSION A", "versionA"),
    ("VERSION B", "versionB"),
)
_VOLATILE = ("version_info", "versionInfo", "last_updated", "lastUpdated")


def _canonical(resource: Any) -> str:
    if isinstance(resource, dict):
        resource = {k: v for k, v in resource.items() if k not in _VOLATILE}
    return json.dumps(resource, sort_keys=True, separators=(",", ":"))


def _index(dump: ConfigDump) -> dict[tuple[str, str, str], Entry]:
    index: dict[tuple[str, str, str], Entry] = {}
    for sec in dump.sections:
        for entry in sec.entries:
            index[(sec.key, entry.state, entry.name)] = entry
    return index


def _version(entry: Entry | None) -> str:
    return entry.version.raw if entry is not None and entry.version is not None else "-"


def diff_rows(a: ConfigDump, b: ConfigDump) -> list[Row]:
    """Rows for every resource (section, state, name) added, removed or changed from ``a`` to ``b``."""
    left, right = _index(a), _index(b)
    rows: list[Row] = []
    for key in sorted(set(left) | set(right)):
        old, new = left.get(key), right.get(key)
        if old is None:
            change = "added"
        elif new is None:
            change = "removed"
        elif _canonical(old.resource) != _canonical(new.resource):
            change = "changed"
        else:
            continue
        section, state, name = key
        rows.append(
            {
                "change": change,
                "section": section,
                "name": name,
                "state": state,
                "versionA": _version(old),
                "versionB": _version(new),
            }
        )
    return rows


def render_diff(rows: list[Row], label_a: str, label_b: str) -> str:
    """The table, or one line saying both sides are the same."""
    if not rows:
        return f"No differences between {label_a} and {label_b}.\n"
    return table(rows, COLUMNS, 3)
