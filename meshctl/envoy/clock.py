"""The current time, in one place so tests can replace it (``monkeypatch.setattr(clock, "now", ...)``)."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)
