"""The cluster as a source for the commands that act on it (install, uninstall, verify-install,
inject): the client their use cases receive, made here from the command's :class:`ClusterOptions`.

Only ``meshctl/cluster`` and ``meshctl/sources`` make cluster clients; the CLI hands the options
over and passes on what comes back, without building a client itself.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from meshctl.cluster.client import ClusterClient
    from meshctl.cluster.options import ClusterOptions

Connect = Callable[[], "ClusterClient"]


def client(opts: ClusterOptions) -> ClusterClient:
    """The (per-command cached) client for these options; the deadline starts here."""
    from meshctl.cluster.client import get_client

    return get_client(opts)


def connector(opts: ClusterOptions) -> Connect:
    """A lazy client: made on the first call (and only if a use case needs the cluster)."""
    made: list[ClusterClient] = []

    def connect() -> ClusterClient:
        if not made:
            made.append(client(opts))
        return made[0]
    return connect


def configured(kubeconfig: str | None, context: str | None) -> bool:
    """Whether a cluster is named at all: a context, a kubeconfig file, or running inside a pod."""
    from meshctl.cluster.kubeconfig import kubeconfig_paths

    return bool(context or kubeconfig_paths(kubeconfig, os.environ)
                or os.environ.get("KUBERNETES_SERVICE_HOST"))
