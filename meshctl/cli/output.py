"""Writing results and notes: stdout for results, stderr for notes and progress."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


def emit(text: str) -> None:
    """Write a rendered result to stdout."""
    sys.stdout.write(text)
    sys.stdout.flush()


def note(text: str) -> None:
    """Write a one-line note to stderr."""
    sys.stderr.write(text.rstrip("\n") + "\n")


@contextmanager
def progress(description: str, color: bool = True) -> Iterator[Any]:
    """A rich spinner on stderr while work runs, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console

    console = Console(stderr=True, no_color=not color)
    with console.status(description) as status:
        yield status
