"""How to reach the cluster: kubeconfig, context, timeout. No I/O here."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ClusterOptions:
    """Connection settings from the command line."""

    kubeconfig: str | None = None
    context: str | None = None
    timeout: float = 30.0
    verbose: bool = False
