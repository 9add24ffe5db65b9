"""Options and helpers shared by the commands that report findings (``analyze``, ``precheck``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from meshctl.cli.options import output_format, output_option
from meshctl.cli.output import emit, note
from meshctl.errors import UsageError
from meshctl.report import RENDERERS

if TYPE_CHECKING:
    from meshctl.catalogue import Level

FORMATS = tuple(RENDERERS)  # the findings formats: one per renderer

Output = Annotated[str, output_option(FORMATS)]
FailureThreshold = Annotated[str, typer.Option(
    "--failure-threshold", help="Exit 79 when a message is at least this level.")]
OutputThreshold = Annotated[str, typer.Option("--output-threshold", help="Show messages at least this level.")]
Suppress = Annotated[list[str] | None, typer.Option(
    "--suppress", "-S", help="Hide messages: 'CODE=Kind ns/name' (globs). Repeatable.")]
IgnoreUnknown = Annotated[bool, typer.Option(
    "--ignore-unknown", help="Skip documents that cannot be parsed instead of failing.")]


def check_format(output: str) -> None:
    """A usage error unless ``output`` is one of FORMATS."""
    output_format(output, FORMATS)


def level(text: str, flag: str) -> Level:
    """The Level a threshold flag names; a usage error that names the flag otherwise."""
    from meshctl.catalogue import Level

    try:
        return Level.parse(text)
    except ValueError as exc:
        raise UsageError(f"{flag}: {exc}") from None


def thresholds(failure_threshold: str, output_threshold: str) -> tuple[Level, Level]:
    """The --failure-threshold and --output-threshold flags as Levels, in that order."""
    return level(failure_threshold, "--failure-threshold"), level(output_threshold, "--output-threshold")


def finish(result: Any, render: Callable[[Any], str | Iterable[str]], verbose: bool) -> NoReturn:
    """Note what was skipped (--verbose), print ``render(result)``, exit with the result's code."""
    if verbose:
        for name, why in sorted(result.skipped.items()):
            note(f"skipped {name}: {why}")
    rendered = render(result)
    for piece in [rendered] if isinstance(rendered, str) else rendered:
        emit(piece)
    raise typer.Exit(int(result.exit_code))
