"""Writing results and notes: the run's stdout for results, its stderr for notes and progress.

The streams are the run's Environment's (:mod:`meshctl.env`), so a command run in-process writes
where its caller asked, not to whatever ``sys.stdout`` is at the time.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from meshctl.env import current


def emit(text: str) -> None:
    """Write a rendered result to stdout."""
    stdout = current().stdout
    stdout.write(text)
    stdout.flush()


def note(text: str) -> None:
    """Write a one-line note to stderr."""
    current().stderr.write(text.rstrip("\n") + "\n")


@contextmanager
def progress(description: str, color: bool = True) -> Iterator[Any]:
    """A rich spinner on stderr while work runs, only when stderr is a terminal."""
    stderr = current().stderr
    if not stderr.isatty():
        yield None
        return
    from rich.console import Console

    console = Console(file=stderr, no_color=not color)
    with console.status(description) as status:
        yield status
