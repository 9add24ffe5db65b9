"""Evaluate the value checks (translated CEL rules, see :mod:`meshctl.schemas.cel`) of a schema.

The checks of a schema are gathered once into a small tree holding only the branches that have
checks, so a resource is walked only where there is something to check.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from meshctl.schemas import cel
from meshctl.schemas.validate import Issue, format_path

CHECKS = "x-meshctl-checks"
_UNITS_NS = {"ns": 1, "us": 1_000, "µs": 1_000, "μs": 1_000, "ms": 1_000_000, "s": 1_000_000_000,
             "m": 60_000_000_000, "h": 3_600_000_000_000}
_DURATION_PART = re.compile(r"(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)")
_LABEL_KEY = re.compile(r"^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$")


def duration_ns(text: str) -> float | None:
    """Nanoseconds of a Go duration (``1h2m3.5s``, ``250ms``, ``0``), or None when it is not one."""
    body = text[1:] if text[:1] in "+-" else text
    if body == "0":
        return 0.0
    parts = _DURATION_PART.findall(body)
    if not parts or "".join(n + u for n, u in parts) != body:
        return None
    total = sum(float(number) * _UNITS_NS[unit] for number, unit in parts)
    return -total if text.startswith("-") else total


class Node:
    """The checks at one schema node and the children that have checks below them."""

    __slots__ = ("checks", "properties", "items", "values")

    def __init__(self) -> None:
        self.checks: tuple[str, ...] = ()
        self.properties: dict[str, Node] = {}
        self.items: Node | None = None
        self.values: Node | None = None


def _tree(schema: Any) -> Node | None:
    if not isinstance(schema, dict):
        return None
    node = Node()
    # generated schemas carry check tokens; a cluster CRD's schema carries the CEL rules themselves
    node.checks = tuple(schema.get(CHECKS) or cel.tokens(schema.get("x-kubernetes-validations") or ()))
    for name, sub in (schema.get("properties") or {}).items():
        child = _tree(sub)
        if child is not None:
            node.properties[name] = child
    node.items = _tree(schema.get("items"))
    node.values = _tree(schema.get("additionalProperties"))
    if node.checks or node.properties or node.items or node.values:
        return node
    return None


class _Ref:
    """Hashes by identity, so a shared (generated or cluster) schema dict can key a cache."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __hash__(self) -> int:
        return id(self.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Ref) and other.value is self.value


@lru_cache(maxsize=64)
def _tree_for(schema_ref: _Ref) -> Node | None:
    return _tree(schema_ref.value)


def check_tree(schema: Any) -> Node | None:
    """The check tree of an OpenAPI schema (cached per schema object)."""
    return _tree_for(_Ref(schema))


Detail = Callable[[Any], str | None]


def _duration(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    ns = duration_ns(value)
    if ns is None:
        return f"{value!r} is not a duration (such as 250ms, 5s or 1h30m)"
    return None if ns >= 1_000_000 else f"{value!r} is shorter than 1ms"


def _port(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return None if 0 < value <= 65535 else f"{value} is not a port number 1..65535"


def _str_check(test: Callable[[str], bool], detail: str) -> Detail:
    return lambda v: detail.format(v=v) if isinstance(v, str) and not test(v) else None


_SCALAR: dict[str, Detail] = {
    "duration": _duration,
    "port": _port,
    "nostar": _str_check(lambda v: "*" not in v, "{v!r}: wildcards ('*') are not allowed here"),
    "notstar": _str_check(lambda v: v != "*", "'*' is not allowed here"),
    "empty": _str_check(lambda v: v == "", "{v!r}: must be empty (cross-namespace references are not supported)"),
    "unix:abs": _str_check(lambda v: not v.startswith("unix://") or v[7:8] in ("/", "@"),
                           "{v!r}: a unix address needs an absolute path or an abstract (@) name"),
    "unix:noslash": _str_check(lambda v: not v.startswith("unix://") or not v.endswith("/"),
                               "{v!r}: a unix address must not end with '/'"),
}
_KEYS: dict[str, Callable[[str], bool]] = {
    "keys:nostar": lambda k: "*" not in k,
    "keys:nonempty": lambda k: k != "",
    "keys:label": lambda k: len(k) < 63 and _LABEL_KEY.match(k) is not None,
}
_KEY_DETAIL = {"keys:nostar": "wildcards ('*') are not allowed in keys", "keys:nonempty": "a key must not be empty",
               "keys:label": "keys must be DNS labels (letters, digits and '-', under 63 characters)"}


def _object_issues(token: str, value: dict[str, Any], parts: list[object]) -> Iterator[Issue]:
    kind, _, arg = token.partition(":")
    names = arg.split(",")
    if kind == "one":
        present = [k for k in value if k in names]  # document order: report the later one
        if len(present) > 1:
            yield Issue.error(format_path([*parts, present[-1]]), f"only one of {', '.join(present)} may be set")
    elif kind == "any":
        if not any(n in value for n in names):
            yield Issue.error(format_path(parts), f"one of {', '.join(names)} is required")
    elif token == "unix:noports":
        address = value.get("address")
        if isinstance(address, str) and address.startswith("unix://") and "ports" in value:
            yield Issue.error(format_path([*parts, "ports"]), "an endpoint with a unix address cannot have ports")


def _issues_at(token: str, value: Any, parts: list[object]) -> Iterator[Issue]:
    if token in _SCALAR:
        detail = _SCALAR[token](value)
        if detail:
            yield Issue.error(format_path(parts), detail)
    elif token in _KEYS:
        if isinstance(value, dict):
            for key in value:
                if isinstance(key, str) and not _KEYS[token](key):
                    yield Issue.error(format_path([*parts, key]), f"{key!r}: {_KEY_DETAIL[token]}")
    elif token.startswith(("in:", "scheme:")):
        allowed = token.partition(":")[2].split(",")
        if isinstance(value, str):
            got = urlsplit(value).scheme if token.startswith("scheme:") else value
            if got not in allowed:
                what = "the URL scheme" if token.startswith("scheme:") else "the value"
                shown = ", ".join(repr(a) for a in allowed)
                yield Issue.error(format_path(parts), f"{value!r}: {what} must be one of {shown}")
    elif isinstance(value, dict):
        yield from _object_issues(token, value, parts)


def _walk(node: Node, value: Any, parts: list[object]) -> Iterator[Issue]:
    for token in node.checks:
        yield from _issues_at(token, value, parts)
    if isinstance(value, dict):
        for name, child in node.properties.items():
            if name in value:
                yield from _walk(child, value[name], [*parts, name])
        if node.values is not None:
            for key, item in value.items():
                if key not in node.properties:
                    yield from _walk(node.values, item, [*parts, key])
    elif isinstance(value, list) and node.items is not None:
        for index, item in enumerate(value):
            yield from _walk(node.items, item, [*parts, index])


def value_issues(schema: Any, spec: Any) -> list[Issue]:
    """IST0106 errors for the values of ``spec`` that the schema's value checks reject."""
    tree = check_tree(schema)
    if tree is None or spec is None:
        return []
    return list(_walk(tree, spec, []))
