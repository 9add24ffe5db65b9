"""``meshctl install``, ``manifest``, ``verify-install``, ``uninstall`` (not implemented yet)."""

from __future__ import annotations

import typer

from meshctl.errors import NotImplementedYet

app = typer.Typer(help="Install the Istio control plane (not implemented yet).", invoke_without_command=True)
manifest_app = typer.Typer(help="Generate install manifests (not implemented yet).", no_args_is_help=True)


@app.callback()
def install() -> None:
    """Install the Istio control plane (not implemented yet)."""
    raise NotImplementedYet("'meshctl install' is not implemented yet")


@manifest_app.command("generate")
def generate() -> None:
    """Print the install manifest (not implemented yet)."""
    raise NotImplementedYet("'meshctl manifest generate' is not implemented yet")


def verify_install() -> None:
    """Compare the cluster with the install manifest (not implemented yet)."""
    raise NotImplementedYet("'meshctl verify-install' is not implemented yet")


def uninstall() -> None:
    """Remove what meshctl installed (not implemented yet)."""
    raise NotImplementedYet("'meshctl uninstall' is not implemented yet")
