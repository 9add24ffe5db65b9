"""Envoy's endpoints against the Kubernetes EndpointSlices istiod turned into EDS.

Pure functions: Envoy endpoint rows + EndpointSlices + Services in, rows out (the two LIST
calls are :func:`meshctl.sources.envoy.read_endpoint_slices`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from meshctl.envoy.clusters import sort_key
from meshctl.envoy.endpoints import EndpointFilter
from meshctl.envoy.tables import Row

IN_SYNC = "in sync"
NOT_IN_K8S = "not in Kubernetes"
NOT_READY_IN_K8S = "not ready in Kubernetes"
MISSING_IN_ENVOY = "missing in Envoy"
SERVICE_NAME_LABEL = "kubernetes.io/service-name"
Obj = dict[str, Any]
Endpoint = tuple[str, int]  # (ip, port)


@dataclass(frozen=True)
class ServiceCluster:
    """An outbound cluster of a Kubernetes service: ``outbound|PORT|SUBSET|NAME.NS.svc.DOMAIN``."""

    cluster: str
    port: int
    subset: str
    name: str
    namespace: str


@dataclass(frozen=True)
class KubeEndpoints:
    """Kubernetes' view of one service port: ready and not-ready ``(ip, port)`` pairs."""

    ready: frozenset[Endpoint] = frozenset()
    not_ready: frozenset[Endpoint] = frozenset()


def parse_service_cluster(cluster: str) -> ServiceCluster | None:
    """The service behind an outbound cluster name, or None for any other cluster."""
    parts = cluster.split("|")
    if len(parts) != 4 or parts[0] != "outbound" or not parts[1].isdigit():
        return None
    host = parts[3].split(".", 3)
    if len(host) != 4 or host[2] != "svc" or not host[0] or not host[1] or not host[3]:
        return None
    return ServiceCluster(cluster, int(parts[1]), parts[2], host[0], host[1])


def service_clusters(clusters: Iterable[str]) -> list[ServiceCluster]:
    """The Kubernetes-service clusters among ``clusters``, de-duplicated, in istioctl's order."""
    parsed = {c: parse_service_cluster(c) for c in clusters}
    return sorted((p for p in parsed.values() if p is not None), key=lambda p: sort_key(p.cluster))


def namespaces_of(clusters: Iterable[ServiceCluster]) -> list[str]:
    """The namespaces whose EndpointSlices and Services the comparison reads."""
    return sorted({c.namespace for c in clusters})


def split_endpoint(text: str) -> Endpoint | None:
    """``ip:port`` (IPv6 too: the port is after the last colon) as a pair; None otherwise."""
    host, colon, port = text.rpartition(":")
    if not colon or not port.isdigit():
        return None
    return host, int(port)


def _meta(obj: Obj, key: str) -> str:
    return str((obj.get("metadata") or {}).get(key) or "")


def service_port_name(services: Sequence[Obj], namespace: str, name: str, port: int) -> str | None:
    """The name of the Service port numbered ``port`` ("" when unnamed); None when there is none."""
    for svc in services:
        if _meta(svc, "namespace") == namespace and _meta(svc, "name") == name:
            for sp in (svc.get("spec") or {}).get("ports") or ():
                if sp.get("port") == port:
                    return str(sp.get("name") or "")
    return None


def _slice_port(slice_: Obj, port_name: str) -> int | None:
    """The EndpointSlice port whose name matches the Service port's name (targetPort resolved)."""
    for sp in slice_.get("ports") or ():
        if str(sp.get("name") or "") == port_name and isinstance(sp.get("port"), int):
            return int(sp["port"])
    return None


def _is_ready(endpoint: Obj) -> bool:
    """``conditions.ready``; unset means ready, as the EndpointSlice API asks consumers to read it."""
    ready = (endpoint.get("conditions") or {}).get("ready")
    return ready is None or bool(ready)


def kube_endpoints(slices: Sequence[Obj], services: Sequence[Obj], svc: ServiceCluster) -> KubeEndpoints:
    """Ready and not-ready endpoints Kubernetes lists for the cluster's service port."""
    port_name = service_port_name(services, svc.namespace, svc.name, svc.port)
    if port_name is None:
        return KubeEndpoints()
    ready: set[Endpoint] = set()
    not_ready: set[Endpoint] = set()
    for slice_ in slices:
        labels = (slice_.get("metadata") or {}).get("labels") or {}
        if _meta(slice_, "namespace") != svc.namespace or labels.get(SERVICE_NAME_LABEL) != svc.name:
            continue
        if slice_.get("addressType") not in ("IPv4", "IPv6"):
            continue
        port = _slice_port(slice_, port_name)
        if port is None:
            continue
        for ep in slice_.get("endpoints") or ():
            target = ready if _is_ready(ep) else not_ready
            target.update((str(addr), port) for addr in ep.get("addresses") or ())
    return KubeEndpoints(frozenset(ready), frozenset(not_ready - ready))


def _row_endpoints(row: Row) -> list[Endpoint]:
    pairs = [split_endpoint(part) for part in str(row.get("endpoint", "")).split(",")]
    return [p for p in pairs if p is not None]


def row_state(row: Row, kube: KubeEndpoints) -> str:
    """One Envoy row's state against Kubernetes (every address of the row must agree)."""
    pairs = _row_endpoints(row)
    if pairs and all(p in kube.ready for p in pairs):
        return IN_SYNC
    if pairs and all(p in kube.ready | kube.not_ready for p in pairs):
        return IN_SYNC if str(row.get("status", "")).upper() != "HEALTHY" else NOT_READY_IN_K8S
    return NOT_IN_K8S


def _missing_rows(svc: ServiceCluster, kube: KubeEndpoints, seen: set[Endpoint]) -> list[Row]:
    """Rows for ready Kubernetes endpoints Envoy lacks (not for subsets: slices carry no pod labels)."""
    if svc.subset:
        return []
    return [
        {"endpoint": f"{ip}:{port}", "status": "", "locality": "", "cluster": svc.cluster,
         "k8s": MISSING_IN_ENVOY}
        for ip, port in sorted(kube.ready - seen)
    ]


def _matches(row: Row, flt: EndpointFilter) -> bool:
    pairs = _row_endpoints(row)
    probe = {**row, "addresses": [ip for ip, _ in pairs], "_port": pairs[0][1] if pairs else 0}
    return flt.matches(probe)


def compare_endpoints(
    rows: Sequence[Row],
    clusters: Iterable[str],
    slices: Sequence[Obj],
    services: Sequence[Obj],
    flt: EndpointFilter | None = None,
) -> list[Row]:
    """Envoy's rows with a ``k8s`` state, plus ``missing in Envoy`` rows, filtered by ``flt``.

    ``rows`` are unfiltered endpoint rows; ``clusters`` every Envoy cluster name (a cluster
    with no endpoints has no row). Rows of clusters that are not Kubernetes services get
    ``k8s: None``.
    """
    wanted = service_clusters([*clusters, *(str(r.get("cluster", "")) for r in rows)])
    by_name = {svc.cluster: (svc, kube_endpoints(slices, services, svc)) for svc in wanted}
    seen: dict[str, set[Endpoint]] = {name: set() for name in by_name}
    out: list[Row] = []
    for row in rows:
        entry = by_name.get(str(row.get("cluster", "")))
        state = row_state(row, entry[1]) if entry else None
        if entry:
            seen[entry[0].cluster].update(_row_endpoints(row))
        out.append({**row, "k8s": state})
    for svc, kube in by_name.values():
        out += _missing_rows(svc, kube, seen[svc.cluster])
    out.sort(key=lambda r: sort_key(str(r.get("cluster", ""))))  # stable: Envoy rows first
    return [r for r in out if _matches(r, flt or EndpointFilter())]


def differences(rows: Iterable[Row]) -> int:
    """How many rows disagree with Kubernetes."""
    return sum(1 for r in rows if r.get("k8s") not in (None, IN_SYNC))
