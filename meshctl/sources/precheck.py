"""The cluster source of ``meshctl precheck``: a client for the options, and one gather pass.

Only ``meshctl/cluster`` and ``meshctl/sources`` make cluster clients; precheck's runner asks
here for the snapshot and never holds a client itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from meshctl.cluster.options import ClusterOptions
    from meshctl.precheck.model import PrecheckRequest, PrecheckSnapshot


def read_cluster(cluster: ClusterOptions, request: PrecheckRequest, kinds: frozenset[str],
                 ask_access: bool) -> PrecheckSnapshot:
    """What the selected checks read, gathered once from the cluster ``cluster`` names."""
    from meshctl.cluster.client import get_client
    from meshctl.precheck.gather import gather

    return gather(get_client(cluster), request, kinds, ask_access=ask_access)
