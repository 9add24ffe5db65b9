"""istiod's ``version_info``: ``<RFC3339 push time>/<push counter>``, parsed and aged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from meshctl.record import Record


class Version(Record):
    """A parsed ``version_info``; ``pushed``/``counter`` are None when it has another shape."""

    __slots__ = ("raw", "pushed", "counter")

    def __init__(self, raw: str, pushed: datetime | None = None, counter: int | None = None) -> None:
        self.raw = raw
        self.pushed = pushed
        self.counter = counter

    @property
    def counter_text(self) -> str:
        """``#42`` or ``-``."""
        return f"#{self.counter}" if self.counter is not None else "-"

    @property
    def pushed_text(self) -> str:
        """The push time as RFC3339 (UTC, seconds) or ``-``."""
        return rfc3339(self.pushed) if self.pushed else "-"


def parse_version(raw: str | None) -> Version | None:
    """Parse ``2023-09-01T12:34:56Z/42``; other strings keep only ``raw``."""
    if not raw:
        return None
    stamp, sep, counter = raw.rpartition("/")
    if not sep:
        return Version(raw)
    pushed = parse_time(stamp)
    number = int(counter) if counter.isdigit() else None
    if pushed is None:
        return Version(raw, counter=number) if number is not None and not stamp else Version(raw)
    return Version(raw, pushed, number)


def parse_time(text: str | None) -> datetime | None:
    """An aware datetime from RFC3339 (``Z`` or offset, optional fraction), else None."""
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def rfc3339(value: datetime) -> str:
    """``2023-09-01T12:34:56Z``."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def age(then: datetime | None, now: datetime) -> str:
    """A kubectl-style age: ``45s``, ``12m``, ``3h5m``, ``2d4h``; ``-`` when unknown."""
    if then is None:
        return "-"
    return human(now - then)


def human(delta: timedelta) -> str:
    """A short duration: ``45s``, ``12m``, ``3h5m``, ``2d4h`` (negative: ``in 5m``)."""
    seconds = int(delta.total_seconds())
    if seconds < 0:
        return "in " + human(-delta)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d{hours}h" if hours else f"{days}d"
    if hours:
        return f"{hours}h{minutes}m" if minutes else f"{hours}h"
    if minutes:
        return f"{minutes}m{secs}s" if secs and minutes < 10 else f"{minutes}m"
    return f"{secs}s"
