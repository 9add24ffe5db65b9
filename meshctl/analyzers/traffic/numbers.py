"""Numbers in traffic fields (weights, mirror percentages): read leniently, shown as the user wrote them."""

from __future__ import annotations

from typing import Any


def as_number(value: Any) -> float | None:
    """``value`` as a float; None when absent, a boolean, or not a number."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def shown(value: float) -> str:
    """A number for a message: ``50`` rather than ``50.0``, ``12.5`` as is."""
    return str(int(value)) if value == int(value) else str(value)
