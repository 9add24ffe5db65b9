"""The config_dump model: sections by ``@type``, entries with state, version and last update.

Loading keeps only what a command needs: every typed resource (``@type``) whose
type is not in ``keep`` is reduced to its type and name while ``json.loads``
builds it, so a summary of a large dump holds little more than the text.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from meshctl.envoy.fields import field, short_type
from meshctl.envoy.versions import Version, parse_time, parse_version
from meshctl.errors import InputError
from meshctl.record import Record

ADMIN_PREFIX = "type.googleapis.com/envoy.admin."

# section key -> @type suffix of its ConfigDump message
SECTION_TYPES: dict[str, str] = {
    "bootstrap": "BootstrapConfigDump",
    "clusters": "ClustersConfigDump",
    "listeners": "ListenersConfigDump",
    "scoped-routes": "ScopedRoutesConfigDump",
    "routes": "RoutesConfigDump",
    "secrets": "SecretsConfigDump",
    "endpoints": "EndpointsConfigDump",
    "ecds": "EcdsConfigDump",
}
_BY_SUFFIX = {suffix: key for key, suffix in SECTION_TYPES.items()}

# section key -> (list field, state, wrapper field holding the resource)
_LAYOUT: dict[str, tuple[tuple[str, str, str], ...]] = {
    "clusters": (
        ("static_clusters", "static", "cluster"),
        ("dynamic_active_clusters", "dynamic", "cluster"),
        ("dynamic_warming_clusters", "warming", "cluster"),
    ),
    "routes": (
        ("static_route_configs", "static", "route_config"),
        ("dynamic_route_configs", "dynamic", "route_config"),
    ),
    "scoped-routes": (
        ("inline_scoped_route_configs", "static", "scoped_route_configs"),
        ("dynamic_scoped_route_configs", "dynamic", "scoped_route_configs"),
    ),
    "secrets": (
        ("static_secrets", "static", "secret"),
        ("dynamic_active_secrets", "dynamic", "secret"),
        ("dynamic_warming_secrets", "warming", "secret"),
    ),
    "endpoints": (
        ("static_endpoint_configs", "static", "endpoint_config"),
        ("dynamic_endpoint_configs", "dynamic", "endpoint_config"),
    ),
    "ecds": (("ecds_filters", "dynamic", "ecds_filter"),),
    "listeners": (("static_listeners", "static", "listener"),),
}
_LISTENER_STATES = (("active_state", "dynamic"), ("warming_state", "warming"), ("draining_state", "draining"))

# What each command needs in full (last component of the resource's @type).
KEEP: dict[str, frozenset[str]] = {
    "summary": frozenset(),
    "clusters": frozenset({"Cluster"}),
    "listeners": frozenset({"Listener", "HttpConnectionManager", "TcpProxy"}),
    "routes": frozenset({"RouteConfiguration"}),
    "endpoints": frozenset({"ClusterLoadAssignment"}),
    "secrets": frozenset({"Secret"}),
    "bootstrap": frozenset(),
    "ecds": frozenset({"TypedExtensionConfig"}),
}
KEEP["all"] = frozenset().union(*KEEP.values())


class Entry(Record):
    """One resource in a section: static, dynamic (active), warming or draining."""

    __slots__ = ("section", "state", "name", "version", "last_updated", "resource")

    def __init__(self, section: str, state: str, name: str, version: Version | None, last_updated: datetime | None,
                 resource: dict[str, Any]) -> None:
        self.section = section
        self.state = state
        self.name = name
        self.version = version
        self.last_updated = last_updated
        self.resource = resource


class Section(Record):
    """One ``configs[]`` element."""

    __slots__ = ("key", "type_url", "raw", "entries", "version", "last_updated")

    def __init__(self, key: str, type_url: str, raw: dict[str, Any], entries: tuple[Entry, ...] = (),
                 version: Version | None = None, last_updated: datetime | None = None) -> None:
        self.key = key
        self.type_url = type_url
        self.raw = raw
        self.entries = entries
        self.version = version
        self.last_updated = last_updated

    def count(self, state: str) -> int:
        """How many entries are in ``state``."""
        return sum(1 for e in self.entries if e.state == state)

    @property
    def newest(self) -> Version | None:
        """The section's version, else its newest resource version (by push time, then counter)."""
        if self.version is not None:
            return self.version
        versions = [e.version for e in self.entries if e.version is not None]
        return max(versions, key=_version_key, default=None)


def _version_key(v: Version) -> tuple[float, int]:
    return (v.pushed.timestamp() if v.pushed else 0.0, v.counter or 0)


class ConfigDump(Record):
    """A parsed config_dump with its sections in document order."""

    __slots__ = ("origin", "sections")

    def __init__(self, origin: str, sections: tuple[Section, ...] = ()) -> None:
        self.origin = origin
        self.sections = sections

    def section(self, key: str) -> Section | None:
        """The section with ``key`` (e.g. ``clusters``), or None."""
        return next((s for s in self.sections if s.key == key), None)

    def entries(self, key: str) -> tuple[Entry, ...]:
        """The entries of section ``key``; empty when the dump has no such section."""
        sec = self.section(key)
        return sec.entries if sec else ()


def _compactor(keep: frozenset[str]) -> Any:
    def hook(obj: dict[str, Any]) -> dict[str, Any]:
        type_url = obj.get("@type")
        if not isinstance(type_url, str) or type_url.startswith(ADMIN_PREFIX):
            return obj
        if type_url.rsplit(".", 1)[-1] in keep:
            return obj
        return {"@type": type_url, "name": obj.get("name", "")}

    return hook


def parse_json(text: str | bytes, origin: str, keep: frozenset[str] | None = None) -> Any:
    """``json.loads`` with compaction (``keep=None``: everything in full); InputError when unreadable."""
    from meshctl.sources.loading import json_value

    try:
        return json_value(text, "the dump", object_hook=None if keep is None else _compactor(keep))
    except InputError as exc:
        detail = str(exc).removeprefix("the dump")
        if "invalid JSON" in detail:
            detail = f" (truncated or not JSON: {detail.partition('invalid JSON: ')[2]})"
        else:
            detail = f" ({detail.lstrip(':0123456789 ')})"
        raise InputError(f"{origin} is not a readable config dump{detail}") from None


def load(text: str | bytes, origin: str, keep: frozenset[str] | None = None) -> ConfigDump:
    """Parse a config_dump; InputError when it is not JSON or has no ``configs`` list."""
    doc = parse_json(text, origin, keep)
    return from_document(doc, origin)


def from_document(doc: Any, origin: str) -> ConfigDump:
    """The model of an already decoded config_dump."""
    configs = field(doc, "configs") if isinstance(doc, dict) else None
    if not isinstance(configs, list):
        raise InputError(f"{origin} is not an Envoy config dump (it has no 'configs' list)")
    for i, config in enumerate(configs):
        _check_section(config, f"configs[{i}]", origin)
    return ConfigDump(origin, tuple(_section(c) for c in configs))


def _unreadable(origin: str, where: str, what: str) -> InputError:
    return InputError(f"{origin} is not a readable config dump: {where} {what}")


def _object(value: Any, where: str, origin: str, required: bool = False) -> None:
    if not isinstance(value, dict) and (required or value is not None):
        raise _unreadable(origin, where, "is not an object")


def _objects(value: Any, where: str, origin: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _unreadable(origin, where, "is not a list")
    for i, item in enumerate(value):
        _object(item, f"{where}[{i}]", origin, required=True)
    return value


def _check_section(raw: Any, where: str, origin: str) -> None:
    """InputError naming the place when a ``configs[]`` element does not have its message's shape."""
    _object(raw, where, origin, required=True)
    type_url = raw.get("@type")
    if not isinstance(type_url, str):
        raise _unreadable(origin, f"{where}.@type", "is not a string")
    for name in ("version_info", "last_updated"):
        value = field(raw, name)
        if value is not None and not isinstance(value, str):
            raise _unreadable(origin, f"{where}.{name}", "is not a string")
    key = section_key(type_url)
    if key == "bootstrap":
        _object(field(raw, "bootstrap"), f"{where}.bootstrap", origin)
    for list_name, _state, wrapper in _LAYOUT.get(key, ()):
        for i, item in enumerate(_objects(field(raw, list_name), f"{where}.{list_name}", origin)):
            _check_item(item, wrapper, f"{where}.{list_name}[{i}]", origin)
    if key == "listeners":
        for i, item in enumerate(_objects(field(raw, "dynamic_listeners"), f"{where}.dynamic_listeners", origin)):
            if not isinstance(field(item, "name", ""), str):
                raise _unreadable(origin, f"{where}.dynamic_listeners[{i}].name", "is not a string")
            for state_name, _ in _LISTENER_STATES:
                holder = field(item, state_name)
                _object(holder, f"{where}.dynamic_listeners[{i}].{state_name}", origin)
                if holder:
                    _check_item(holder, "listener", f"{where}.dynamic_listeners[{i}].{state_name}", origin)


def _check_item(item: dict[str, Any], wrapper: str, where: str, origin: str) -> None:
    resource = field(item, wrapper)
    if wrapper == "scoped_route_configs":
        _objects(resource, f"{where}.{wrapper}", origin)
    else:
        _object(resource, f"{where}.{wrapper}", origin)
    for name in ("name", "version_info", "last_updated"):
        value = field(item, name)
        if value is not None and not isinstance(value, str):
            raise _unreadable(origin, f"{where}.{name}", "is not a string")


def section_key(type_url: str) -> str:
    """``clusters`` for ``...ClustersConfigDump``; the short type name for unknown sections."""
    suffix = short_type(type_url).rsplit(".", 1)[-1]
    return _BY_SUFFIX.get(suffix, suffix)


def _section(raw: dict[str, Any]) -> Section:
    type_url = str(raw.get("@type", ""))
    key = section_key(type_url)
    if key == "bootstrap":
        entries: tuple[Entry, ...] = (
            Entry(
                key,
                "static",
                "bootstrap",
                None,
                parse_time(field(raw, "last_updated")),
                field(raw, "bootstrap") or {},
            ),
        )
    else:
        entries = tuple(_entries(key, raw))
    return Section(
        key,
        type_url,
        raw,
        entries,
        parse_version(field(raw, "version_info")),
        parse_time(field(raw, "last_updated")),
    )


def _entries(key: str, raw: dict[str, Any]) -> Iterator[Entry]:
    for list_name, state, wrapper in _LAYOUT.get(key, ()):
        for item in field(raw, list_name) or ():
            yield _entry(key, state, item, field(item, wrapper))
    if key == "listeners":
        for item in field(raw, "dynamic_listeners") or ():
            for state_name, state in _LISTENER_STATES:
                holder = field(item, state_name)
                if holder:
                    yield _entry(key, state, holder, field(holder, "listener"), field(item, "name"))


def _entry(key: str, state: str, item: dict[str, Any], resource: Any, name: str | None = None) -> Entry:
    res = resource if isinstance(resource, dict) else {}
    if name is None:
        name = field(item, "name") or res.get("name") or field(res, "cluster_name") or ""
    return Entry(
        key,
        state,
        str(name),
        parse_version(field(item, "version_info")),
        parse_time(field(item, "last_updated")),
        res,
    )


def select_sections(dump: ConfigDump, types: Iterable[str]) -> tuple[Section, ...]:
    """Sections matching ``--type`` values (``clusters``, ``ClustersConfigDump`` or a full type URL)."""
    wanted = {normalize_type(t) for t in types}
    if not wanted:
        return dump.sections
    return tuple(s for s in dump.sections if s.key in wanted)


def normalize_type(text: str) -> str:
    """A section key from any spelling a user may give ``--type``."""
    lowered = text.strip().lower()
    for key, suffix in SECTION_TYPES.items():
        if lowered in (
            key,
            key.rstrip("s"),
            suffix.lower(),
            f"{ADMIN_PREFIX}v3.{suffix}".lower(),
            f"envoy.admin.v3.{suffix}".lower(),
        ):
            return key
    if lowered in ("scopedroutes", "scoped_routes", "eds"):
        return "scoped-routes" if lowered != "eds" else "endpoints"
    from meshctl.errors import UsageError

    raise UsageError(f"--type {text!r} is not a config_dump section; use one of {', '.join(SECTION_TYPES)}")
