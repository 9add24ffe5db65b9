"""How to reach the cluster: kubeconfig, context, timeout. No I/O here."""

from __future__ import annotations

from typing import NamedTuple


class ClusterOptions(NamedTuple):
    """Connection settings from the command line."""

    kubeconfig: str | None = None
    context: str | None = None
    timeout: float = 30.0
    verbose: bool = False
