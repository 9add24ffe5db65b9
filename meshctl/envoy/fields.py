"""Field access that accepts both of Envoy's JSON spellings (snake_case and camelCase)."""

from __future__ import annotations

from typing import Any


def camel(name: str) -> str:
    """``dynamic_active_clusters`` -> ``dynamicActiveClusters``."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def field(obj: Any, name: str, default: Any = None) -> Any:
    """``obj[name]`` in snake_case or camelCase spelling, else ``default``."""
    if not isinstance(obj, dict):
        return default
    if name in obj:
        return obj[name]
    return obj.get(camel(name), default)


def path(obj: Any, *names: str) -> Any:
    """Follow ``names`` through nested objects; None when any step is missing."""
    for name in names:
        obj = field(obj, name)
        if obj is None:
            return None
    return obj


def short_type(type_url: str) -> str:
    """``type.googleapis.com/envoy.admin.v3.ClustersConfigDump`` -> ``envoy.admin.v3.ClustersConfigDump``."""
    return type_url.rsplit("/", 1)[-1]
