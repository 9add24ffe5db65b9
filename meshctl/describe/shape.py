"""Reading Istio objects whose fields may have the wrong type: wrong parts are skipped (analyze's schema
checks report them as findings), never a crash."""

from __future__ import annotations

from typing import Any


def obj(value: Any) -> dict[str, Any]:
    """``value`` when it is a mapping, else ``{}``."""
    return value if isinstance(value, dict) else {}


def objs(value: Any) -> list[dict[str, Any]]:
    """The mappings of ``value`` when it is a list, else ``[]``."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def strs(value: Any) -> list[str]:
    """The strings of ``value`` when it is a list, else ``[]``."""
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def labels(value: Any) -> dict[str, str]:
    """A label map: string keys, values as strings; ``{}`` for anything else."""
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}
