"""The ``proxy-config`` use cases: a parsed dump (and filters) in, a :class:`View` out.

A view carries three renderings of the same selection: the rows (meshctl's columns, ``-o rows-json``),
Envoy's own objects in the shape of Envoy's admin API (``-o json|yaml``, as istioctl prints them,
redacted), and the table text.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from meshctl.envoy.dump import SECTION_TYPES, ConfigDump
from meshctl.envoy.fields import field
from meshctl.envoy.tables import Row, table
from meshctl.errors import InputError
from meshctl.record import Record

if TYPE_CHECKING:  # each view imports its own module when it runs: a table needs no redaction tables
    from meshctl.envoy import clusters, endpoints, listeners

#: Sections a live Envoy may lack although nothing is wrong (no ECDS provider configured).
OPTIONAL = frozenset({"ecds"})


class View(Record):
    """One subcommand's result: rows, Envoy's objects (redacted, built when first asked for) and the table."""

    __slots__ = ("rows", "build_objects", "table")

    def __init__(self, rows: Any, build_objects: Any, table: str) -> None:
        self.rows = rows
        self.build_objects = build_objects
        self.table = table

    @property
    def objects(self) -> Any:
        """Envoy's objects, redacted."""
        return self.build_objects() if callable(self.build_objects) else self.build_objects


def redact(node: Any, message: str | None = None) -> Any:
    """:func:`meshctl.envoy.redact.redact`, imported when an object is shown."""
    from meshctl.envoy.redact import redact as run

    return run(node, message)


def require(dump: ConfigDump, key: str) -> None:
    """InputError (65) when the dump has no ``key`` section: an empty table would mislead."""
    if dump.section(key) is None and key not in OPTIONAL:
        raise InputError(
            f"{dump.origin} has no {key} section (envoy.admin.v3.{SECTION_TYPES[key]}), so there are no "
            f"{key} to show"
        )


def _without_type(obj: Any) -> Any:
    """A resource as its own message (istioctl's shape): the Any's ``@type`` dropped."""
    if isinstance(obj, dict):
        return {k: v for k, v in obj.items() if k != "@type"}
    return obj


def _resource_objects(dump: ConfigDump, key: str, names: list[str]) -> list[Any]:
    """The resources named ``names`` (active first, in the rows' order) of section ``key``, redacted."""
    by_name: dict[str, Any] = {}
    for entry in dump.entries(key):
        if entry.state in ("dynamic", "static"):
            by_name.setdefault(entry.name, entry.resource)
    seen: list[str] = []
    for name in names:
        if name in by_name and name not in seen:
            seen.append(name)
    return [_without_type(redact(by_name[n])) for n in seen]


def _section_object(dump: ConfigDump, key: str) -> Any:
    sec = dump.section(key)
    return _without_type(redact(sec.raw)) if sec is not None else {}


def clusters_view(dump: ConfigDump, flt: clusters.ClusterFilter) -> View:
    """``pc clusters``: Cluster objects under -o json."""
    from meshctl.envoy import clusters

    require(dump, "clusters")
    rows = clusters.cluster_rows(dump, flt)
    return View(rows, lambda: _resource_objects(dump, "clusters", [r["name"] for r in rows]),
                table(rows, clusters.COLUMNS, 5))


def listeners_view(dump: ConfigDump, flt: listeners.ListenerFilter) -> View:
    """``pc listeners``: Listener objects under -o json."""
    from meshctl.envoy import listeners

    require(dump, "listeners")
    rows = listeners.listener_rows(dump, flt)
    return View(rows, lambda: _resource_objects(dump, "listeners", [r["name"] for r in rows]),
                table(rows, listeners.COLUMNS, 1))


def routes_view(dump: ConfigDump, name: str) -> View:
    """``pc routes``: RouteConfiguration objects under -o json."""
    from meshctl.envoy import routes

    require(dump, "routes")
    rows = routes.route_rows(dump, name)
    names = [e.name for e in dump.entries("routes") if not name or e.name == name]
    return View(rows, lambda: _resource_objects(dump, "routes", names), table(rows, routes.COLUMNS, 5))


def secrets_view(dump: ConfigDump, now: datetime) -> View:
    """``pc secrets``: the SecretsConfigDump (key material redacted) under -o json."""
    from meshctl.envoy import secrets

    require(dump, "secrets")
    rows = secrets.secret_rows(dump, now)
    return View(rows, lambda: _section_object(dump, "secrets"), table(rows, secrets.COLUMNS, 5))


def bootstrap_view(dump: ConfigDump) -> View:
    """``pc bootstrap``: the BootstrapConfigDump (the default, as istioctl); the table is ``-o short``."""
    from meshctl.envoy import bootstrap

    require(dump, "bootstrap")
    row = bootstrap.bootstrap_row(dump)
    return View(row, lambda: _section_object(dump, "bootstrap"), bootstrap.bootstrap_summary(row))


def ecds_view(dump: ConfigDump) -> View:
    """``pc ecds``: every extension config with its type; the EcdsConfigDump under -o json."""
    from meshctl.envoy import bootstrap

    require(dump, "ecds")
    rows = bootstrap.ecds_rows(dump)
    return View(rows, lambda: _section_object(dump, "ecds"), table(rows, bootstrap.ECDS_COLUMNS, 5))


def endpoints_view(statuses: Any, flt: endpoints.EndpointFilter, dump: ConfigDump | None = None) -> View:
    """``pc endpoints`` from ``/clusters?format=json``: ClusterStatus objects (hosts filtered) under -o json;
    read from a config dump (``dump``), the ClusterLoadAssignments of the clusters shown."""
    from meshctl.envoy import endpoints

    rows, statuses_shown = endpoints.status_rows_and_objects(statuses, flt)

    def objects() -> list[Any]:
        if dump is not None:
            return _resource_objects(dump, "endpoints", list(dict.fromkeys(str(r["cluster"]) for r in rows)))
        return [redact(o, "envoy.admin.v3.ClusterStatus") for o in statuses_shown]

    return View(rows, objects, table(rows, endpoints.STATUS_COLUMNS, 5))


def eds_statuses(dump: ConfigDump) -> Any:
    """A dump's EDS as ``/clusters?format=json`` would show it (``-f`` of a config dump)."""
    from meshctl.envoy import endpoints

    require(dump, "endpoints")
    return endpoints.eds_as_statuses(dump)


def all_view(dump: ConfigDump, now: datetime, live: Any, with_headers: bool) -> View:
    """``pc all``: the whole dump under -o json (as istioctl), every table otherwise."""
    from meshctl.envoy.everything import render_all, rows_all

    doc = {"configs": [s.raw for s in dump.sections]}
    return View(rows_all(dump, now, live), lambda: redact(doc), render_all(dump, now, live, with_headers))


def dump_objects(dump: ConfigDump, keys: set[str] | None) -> Row:
    """``pc dump -o json``: the dump's sections (``keys`` only when given), redacted."""
    return redact({"configs": [s.raw for s in dump.sections if keys is None or s.key in keys]})


def cluster_names(statuses: Any) -> list[str]:
    """Every cluster name of a ``/clusters?format=json`` document."""
    return [str(field(c, "name", "")) for c in field(statuses, "cluster_statuses") or ()]
