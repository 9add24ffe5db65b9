"""``meshctl precheck`` (not implemented yet)."""

from __future__ import annotations

from meshctl.errors import NotImplementedYet


def precheck() -> None:
    """Pre-install and pre-upgrade checks (not implemented yet)."""
    raise NotImplementedYet("'meshctl precheck' is not implemented yet")
