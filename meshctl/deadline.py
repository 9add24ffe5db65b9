"""A process-wide deadline for ``--timeout``: the whole command stops when it passes.

The cluster client already passes the remaining time to every call; this alarm is the
backstop that also bounds offline work (parsing, analysis, waiting loops).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import FrameType

from meshctl.errors import MeshctlError

GRACE_SECONDS = 0.5


class DeadlineExceeded(MeshctlError):
    """The command ran past --timeout."""


def explicit_timeout(args: Sequence[str]) -> float | None:
    """The value of an explicitly given ``--timeout`` (``--timeout 5`` or ``--timeout=5``), if valid."""
    for index, arg in enumerate(args):
        value = None
        if arg == "--timeout" and index + 1 < len(args):
            value = args[index + 1]
        elif arg.startswith("--timeout="):
            value = arg.partition("=")[2]
        if value is not None:
            try:
                seconds = float(value)
            except ValueError:
                return None
            return seconds if seconds > 0 else None
    return None


@contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Raise DeadlineExceeded in the main thread once ``seconds`` (plus a grace) have passed."""
    if seconds is None or threading.current_thread() is not threading.main_thread():
        yield
        return

    def _expire(signum: int, frame: FrameType | None) -> None:
        raise DeadlineExceeded(f"timed out after {seconds:g}s (--timeout)")

    previous = signal.signal(signal.SIGALRM, _expire)
    signal.setitimer(signal.ITIMER_REAL, seconds + GRACE_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
