"""The live source: one paginated LIST per kind the analyzers need, as Resources.

Scope: with ``-A`` every namespace; with ``-n NS`` (or, without either, the context's
namespace) namespaced kinds come from NS *and* the Istio system namespace, because
analyzers need the control plane's ConfigMaps, pods and Secrets. That is one LIST per
kind and namespace (two at most), never a cluster-wide list filtered on the client:
on a large cluster the cluster-wide list would move every object over the wire.
Cluster-scoped kinds are always listed once. Kind keys that are neither meshctl kinds nor
served (``MeshConfig`` comes from the environment, not the cluster) are ignored. Secrets
are kept (certificate checks) but nothing here prints or logs object bodies.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass

from meshctl.cluster.options import ClusterOptions
from meshctl.kinds import KINDS
from meshctl.resource import Origin, Resource

ISTIO_SYSTEM = "istio-system"


@dataclass(frozen=True)
class LiveLoad:
    """What the cluster gave: resources, and the kind keys it does not serve."""

    resources: list[Resource]
    unavailable: frozenset[str]


def scopes(namespaced: bool, namespace: str | None, all_namespaces: bool, default_ns: str,
           istio_namespace: str = ISTIO_SYSTEM) -> list[str | None]:
    """The namespaces to LIST a kind in; ``[None]`` means cluster-wide (one request)."""
    if not namespaced or all_namespaces:
        return [None]
    ns = namespace or default_ns
    return [ns] if ns == istio_namespace else [ns, istio_namespace]


def load_live(opts: ClusterOptions, kinds: Iterable[str], namespace: str | None = None,
              all_namespaces: bool = False, istio_namespace: str = ISTIO_SYSTEM) -> LiveLoad:
    """LIST each kind once (per scope) and wrap the items as Resources from the cluster."""
    from meshctl.cluster.client import get_client

    client = get_client(opts)
    served = client.served_kinds()
    wanted = sorted(set(kinds))
    unavailable = frozenset(k for k in wanted if k in KINDS and k not in served)
    origin = Origin(cluster=client.context_name)
    resources: list[Resource] = []
    for key in wanted:
        if key not in served:  # unavailable, or not a cluster kind (MeshConfig)
            continue
        info = KINDS.get(key)
        served_as = None if info else client.discovery().target_for_key(key)
        namespaced = info.namespaced if info else bool(served_as and served_as.namespaced)
        for scope in scopes(namespaced, namespace, all_namespaces, client.default_namespace,
                            istio_namespace):
            resources.extend(Resource.from_dict(item, origin) for item in client.list(key, scope))
    if opts.verbose and unavailable:
        sys.stderr.write(f"the cluster does not serve {', '.join(sorted(unavailable))}; "
                         "analyzers that need them are skipped\n")
    return LiveLoad(resources, unavailable)
