"""The environment a command runs in: streams, colour, debug, the deadline and the input limits.

``meshctl.__main__`` builds one per run from the command line and makes it current; code
below reads it with :func:`current` (or receives it) instead of process-wide flags in
``os.environ``. Tests build their own and run code inside :func:`using`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import IO, NamedTuple

from meshctl.deadline import Deadline

GiB = 1 << 30


class Limits(NamedTuple):
    """Bounds on what one input may cost (see docs/limits.md); change one with ``_replace``."""

    #: bytes read from one file, stdin, FIFO or device (``--max-input-size``)
    max_input_size: int = GiB
    #: collections nested inside each other in one YAML or JSON document
    max_depth: int = 100
    #: nodes that aliases (``*a``, ``<<: *a``) may add to one YAML document by repeating anchors
    max_alias_nodes: int = 100_000
    #: digits of one integer (Python's own limit for int/str conversion)
    max_int_digits: int = 4300


class Environment:
    """Process state for one command, passed down instead of kept in globals (a plain class:
    start-up pays nothing to define it)."""

    __slots__ = ("stdin", "stdout", "stderr", "no_color", "debug", "deadline", "limits")

    def __init__(self, stdin: IO[str] | None = None, stdout: IO[str] | None = None, stderr: IO[str] | None = None,
                 no_color: bool = False, debug: bool = False, deadline: Deadline | None = None,
                 limits: Limits | None = None) -> None:
        self.stdin: IO[str] = stdin if stdin is not None else sys.stdin
        self.stdout: IO[str] = stdout if stdout is not None else sys.stdout
        self.stderr: IO[str] = stderr if stderr is not None else sys.stderr
        self.no_color = no_color
        self.debug = debug
        self.deadline = deadline if deadline is not None else Deadline()
        self.limits = limits if limits is not None else Limits()

    def __repr__(self) -> str:
        return f"Environment(no_color={self.no_color}, debug={self.debug}, deadline={self.deadline!r})"

    @property
    def color(self) -> bool:
        """Colours only on a terminal, and never with --no-color or NO_COLOR."""
        if self.no_color or "NO_COLOR" in os.environ:
            return False
        isatty = getattr(self.stdout, "isatty", None)
        return bool(isatty and isatty())


_CURRENT: ContextVar[Environment | None] = ContextVar("meshctl_environment", default=None)


def current() -> Environment:
    """The environment of the running command (a fresh default one outside ``meshctl.__main__``)."""
    env = _CURRENT.get()
    return env if env is not None else Environment()


@contextmanager
def using(env: Environment) -> Iterator[Environment]:
    """Make ``env`` current inside the block (and in threads started with its context)."""
    token = _CURRENT.set(env)
    try:
        yield env
    finally:
        _CURRENT.reset(token)


_SIZE = {"": 1, "b": 1, "k": 1000, "kb": 1000, "ki": 1 << 10, "kib": 1 << 10, "m": 1000**2, "mb": 1000**2,
         "mi": 1 << 20, "mib": 1 << 20, "g": 1000**3, "gb": 1000**3, "gi": 1 << 30, "gib": 1 << 30}
MAX_INPUT_SIZE_CAP = 1 << 40


def parse_size(value: str, flag: str = "--max-input-size") -> int:
    """Bytes from ``1048576``, ``512Mi``, ``1Gi``, ``100MB`` or ``16KiB``; UsageError otherwise."""
    import re

    from meshctl.errors import UsageError

    match = re.fullmatch(r"\s*(\d{1,13})\s*([a-zA-Z]*)\s*", value)
    unit = match.group(2).lower() if match else ""
    if not match or unit not in _SIZE or not 0 < int(match.group(1)) * _SIZE[unit] <= MAX_INPUT_SIZE_CAP:
        raise UsageError(f"{flag} must be a size from 1 byte to 1Ti, such as 1048576, 512Mi or 1Gi, "
                         f"not {value!r}")
    return int(match.group(1)) * _SIZE[unit]
