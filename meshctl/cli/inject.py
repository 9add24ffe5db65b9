"""``meshctl inject``, ``kube-inject`` and ``check-inject`` (not implemented yet)."""

from __future__ import annotations

import typer

from meshctl.errors import NotImplementedYet

app = typer.Typer(help="Sidecar injection: namespace labels and the iptables preview.", no_args_is_help=True)


@app.command("status")
def status() -> None:
    """Show namespace injection labels (not implemented yet)."""
    raise NotImplementedYet("'meshctl inject status' is not implemented yet")


def kube_inject() -> None:
    """Inject the Istio sidecar into a manifest (not implemented yet)."""
    raise NotImplementedYet("'meshctl kube-inject' is not implemented yet")


def check_inject() -> None:
    """Explain whether pods will be injected (not implemented yet)."""
    raise NotImplementedYet("'meshctl check-inject' is not implemented yet")
