"""Istio's port references: a ``port: {number: N}`` field (a Gateway server's, a destination's)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def port_number(holder: Mapping[str, Any]) -> int | None:
    """``holder.port.number``: None when there is no port mapping, 0 when it has no (numeric) number."""
    port = holder.get("port")
    if not isinstance(port, dict):
        return None
    try:
        return int(port.get("number") or 0)
    except (TypeError, ValueError):
        return 0
