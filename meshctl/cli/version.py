"""``meshctl version``."""

from typing import Annotated

import typer

from meshctl import ISTIO_VERSION, __version__
from meshctl.cli import options as o
from meshctl.cli.output import emit


def version(
    output: o.Output = "table",
    short: Annotated[bool, typer.Option("--short", help="Print the version number only.")] = False,
) -> None:
    """Print meshctl's version and the Istio version it installs."""
    if short:
        emit(__version__ + "\n")
    elif o.table_format(output) == "table":
        emit(f"meshctl version: {__version__}\nistio version: {ISTIO_VERSION}\n")
    else:
        from meshctl.report.data import render_data

        emit(render_data({"meshctl": __version__, "istio": ISTIO_VERSION}, output))
