"""``meshctl version``."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from meshctl import ISTIO_VERSION, __version__
from meshctl.cli.output import emit
from meshctl.errors import UsageError


def version(
    output: Annotated[str, typer.Option("--output", "-o", help="table, json or yaml.")] = "table",
    short: Annotated[bool, typer.Option("--short", help="Print the version number only.")] = False,
) -> None:
    """Print meshctl's version and the Istio version it installs."""
    info = {"meshctl": __version__, "istio": ISTIO_VERSION}
    if short:
        emit(__version__ + "\n")
    elif output == "json":
        emit(json.dumps(info, indent=2) + "\n")
    elif output == "yaml":
        emit("".join(f"{k}: {v}\n" for k, v in info.items()))
    elif output == "table":
        emit(f"meshctl version: {__version__}\nistio version: {ISTIO_VERSION}\n")
    else:
        raise UsageError(f"unknown output format {output!r}; use table, json or yaml")
