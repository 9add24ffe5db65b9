"""Parse durations such as ``30d``, ``12h``, ``90m``, ``45s``."""

from __future__ import annotations

import re
from datetime import timedelta

from meshctl.errors import UsageError

_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_PART = re.compile(r"(\d+(?:\.\d+)?)([smhdw])")


def parse_duration(text: str, flag: str = "duration") -> timedelta:
    """A timedelta from one or more number+unit parts (``1d12h``)."""
    parts = _PART.findall(text.strip())
    if not parts or "".join(n + u for n, u in parts) != text.strip():
        raise UsageError(f"{flag}: {text!r} is not a duration like 30d, 12h or 90m")
    total = timedelta()
    for number, unit in parts:
        total += timedelta(**{_UNITS[unit]: float(number)})
    return total
