"""The command's deadline (``--timeout``): checked between requests, stages and read chunks.

Nothing interrupts running code: work asks ``deadline.check(...)`` at safe points (between
requests, analyzers, files, read chunks) and stops there with :class:`DeadlineExceeded`,
which names what was still running. ``meshctl.__main__`` also waits for the command with a
short grace beyond the deadline, so code that never checks cannot hold the process.
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from meshctl.errors import MeshctlError, UsageError

#: The deadline of a command that has no ``--timeout`` option (``version``, ``completion``...).
DEFAULT_SECONDS = 30.0
#: The longest ``--timeout`` accepted (a day); longer values, ``inf`` and ``nan`` are usage errors.
MAX_SECONDS = 24 * 3600.0
MIN_SECONDS = 0.1
#: How long past the deadline ``__main__`` waits for a command that does not check it.
GRACE_SECONDS = 0.5

_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}
_DURATION = re.compile(r"(\d+(?:\.\d+)?|\.\d+)(ms|s|m|h)")


class DeadlineExceeded(MeshctlError):
    """The command ran past --timeout (a tool failure: exit 1)."""


def parse_timeout(value: str | float, flag: str = "--timeout") -> float:
    """Seconds from ``10``, ``2.5``, ``30s``, ``5m``, ``1h30m`` or ``500ms``; UsageError otherwise.

    ``inf``, ``nan``, ``1e300``, zero and negative values are refused (exit 64)."""
    text = str(value).strip().lower()
    seconds: float | None = None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = float(value)
    elif re.fullmatch(r"\d+(?:\.\d+)?|\.\d+", text):
        seconds = float(text)
    elif text and _DURATION.sub("", text) == "":
        seconds = sum(float(n) * _UNITS[unit] for n, unit in _DURATION.findall(text))
    if seconds is None or not math.isfinite(seconds) or not MIN_SECONDS <= seconds <= MAX_SECONDS:
        raise UsageError(f"{flag} must be a duration from {MIN_SECONDS:g}s to 24h, such as 10 (seconds), "
                         f"30s, 5m or 1h, not {str(value)!r}")
    return seconds


class Deadline:
    """When the command must stop, and what it is doing now (named when it runs out)."""

    def __init__(self, seconds: float = DEFAULT_SECONDS, clock: Callable[[], float] = time.monotonic,
                 start: float | None = None, source: str = "default") -> None:
        self.clock = clock
        self.start = clock() if start is None else start
        self.seconds = seconds
        self.source = source
        self._stages: list[str] = []
        self._lock = threading.Lock()

    def reset(self, seconds: float, source: str = "--timeout") -> None:
        """A new length for the same deadline (counted from the same start)."""
        self.seconds = seconds
        self.source = source

    def remaining(self) -> float:
        """Seconds left (never negative)."""
        return max(0.0, self.start + self.seconds - self.clock())

    def left_with_grace(self, grace: float) -> float:
        """Seconds until ``grace`` past the deadline (negative once that has passed too)."""
        return self.start + self.seconds + grace - self.clock()

    def expired(self) -> bool:
        """Whether the deadline has passed."""
        return self.remaining() <= 0.0

    @property
    def stage(self) -> str:
        """What runs now (the innermost stage), or ``""``."""
        with self._lock:
            return self._stages[-1] if self._stages else ""

    @contextmanager
    def running(self, stage: str) -> Iterator[None]:
        """Name the work inside the block; checks the deadline on entry."""
        self.check(stage)
        with self._lock:
            self._stages.append(stage)
        try:
            yield
        finally:
            with self._lock:
                if self._stages and self._stages[-1] == stage:
                    self._stages.pop()

    def error(self, stage: str | None = None) -> DeadlineExceeded:
        """The one-line error for running out, naming ``stage`` (or the current one)."""
        doing = stage or self.stage
        flag = "--timeout" if self.source == "--timeout" else "the default --timeout"
        text = f"timed out after {self.seconds:g}s ({flag})"
        return DeadlineExceeded(f"{text} while {doing}; raise --timeout to wait longer" if doing
                                else f"{text}; raise --timeout to wait longer")

    def check(self, stage: str | None = None) -> None:
        """Raise DeadlineExceeded (naming ``stage`` or the current stage) once the deadline has passed."""
        if self.expired():
            raise self.error(stage)
