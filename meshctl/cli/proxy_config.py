"""``meshctl proxy-config`` (alias ``pc``) (not implemented yet)."""

from __future__ import annotations

import typer

from meshctl.errors import NotImplementedYet

app = typer.Typer(help="Read Envoy's configuration (not implemented yet).", no_args_is_help=True)


@app.command("dump")
def dump() -> None:
    """Envoy's config dump with version info (not implemented yet)."""
    raise NotImplementedYet("'meshctl proxy-config dump' is not implemented yet")
