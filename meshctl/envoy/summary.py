"""The ``proxy-config dump`` table: per section counts and versions, per resource versions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from meshctl.envoy.dump import Entry, Section
from meshctl.envoy.tables import Row, table
from meshctl.envoy.versions import Version, age, rfc3339

SECTION_COLUMNS = (
    ("SECTION", "section"),
    ("STATIC", "static"),
    ("DYNAMIC", "dynamic"),
    ("WARMING", "warming"),
    ("VERSION", "version"),
    ("PUSHED", "pushed"),
    ("PUSH", "push"),
    ("AGE", "age"),
    ("LAST UPDATED", "lastUpdated"),
)
RESOURCE_COLUMNS = (
    ("SECTION", "section"),
    ("NAME", "name"),
    ("STATE", "state"),
    ("VERSION", "version"),
    ("PUSHED", "pushed"),
    ("PUSH", "push"),
    ("AGE", "age"),
    ("LAST UPDATED", "lastUpdated"),
)


def _version_cells(version: Version | None, now: datetime) -> Row:
    if version is None:
        return {"version": "-", "pushed": "-", "push": "-", "age": "-"}
    return {
        "version": version.raw,
        "pushed": version.pushed_text,
        "push": version.counter_text,
        "age": age(version.pushed, now),
    }


def _last(section_or_entry: Section | Entry) -> str:
    stamp = section_or_entry.last_updated
    if stamp is None and isinstance(section_or_entry, Section):
        stamps = [e.last_updated for e in section_or_entry.entries if e.last_updated]
        stamp = max(stamps, default=None)
    return rfc3339(stamp) if stamp else "-"


def section_rows(sections: Sequence[Section], now: datetime) -> list[Row]:
    """One row per section: counts, the section's (or newest resource's) version, last update."""
    rows = []
    for sec in sections:
        row: Row = {
            "section": sec.key,
            "static": sec.count("static"),
            "dynamic": sec.count("dynamic"),
            "warming": sec.count("warming"),
        }
        row.update(_version_cells(sec.newest, now))
        row["lastUpdated"] = _last(sec)
        rows.append(row)
    return rows


def resource_rows(sections: Sequence[Section], now: datetime) -> list[Row]:
    """One row per resource that carries a version_info (dynamic resources)."""
    rows = []
    for sec in sections:
        for entry in sec.entries:
            if entry.version is None:
                continue
            row: Row = {"section": sec.key, "name": entry.name, "state": entry.state}
            row.update(_version_cells(entry.version, now))
            row["lastUpdated"] = _last(entry)
            rows.append(row)
    return rows


def render_summary(sections: Sequence[Section], now: datetime) -> str:
    """The section table, then (when any) the resource version table."""
    out = table(section_rows(sections, now), SECTION_COLUMNS, 3)
    resources = resource_rows(sections, now)
    if resources:
        out += "\n" + table(resources, RESOURCE_COLUMNS, 3)
    return out
