"""Retry policy and the command deadline. Pure: the clock and the random source are injectable."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass
class Deadline:
    """A deadline for the whole command: every call gets the time that is left."""

    seconds: float
    clock: Callable[[], float] = time.monotonic
    start: float = field(default=-1.0)

    def __post_init__(self) -> None:
        if self.start < 0:
            self.start = self.clock()

    def remaining(self) -> float:
        """Seconds left (never negative)."""
        return max(0.0, self.start + self.seconds - self.clock())

    def expired(self) -> bool:
        """Whether the deadline has passed."""
        return self.remaining() <= 0.0


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter, capped; at most ``attempts`` tries per request."""

    attempts: int = 5
    base: float = 0.2
    cap: float = 5.0
    rand: Callable[[], float] = random.random

    def backoff(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait before try ``attempt + 1`` (``attempt`` counts from 1).

        A server's Retry-After wins over the computed backoff (still capped).
        """
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.cap)
        ceiling = min(self.cap, self.base * (2 ** (attempt - 1)))
        return ceiling / 2 + self.rand() * ceiling / 2

    def should_retry(self, attempt: int, idempotent: bool, status: int | None) -> bool:
        """Retry idempotent requests on 429/5xx (``status``) or a dropped connection (None)."""
        if not idempotent or attempt >= self.attempts:
            return False
        return status is None or status in RETRY_STATUSES


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds: either delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None
    return max(0.0, when - (time.time() if now is None else now))
