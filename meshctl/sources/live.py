"""The live source: a paginated LIST per kind the analyzers need, as Resources.

Scope: namespaced kinds are listed across the cluster (one LIST per kind, whatever ``-n`` says),
because a reference can point into any namespace; the pipeline *reports* only on ``-n``'s
namespace. When the user may not list a kind cluster-wide (403), the kind is listed in the
namespace asked for and the Istio namespace instead, and what stays unreadable is recorded as a
denied gap. A read that fails otherwise (5xx after retries, 410 on every continue, broken bodies,
discovery that failed) is a failed gap: the analyzers that need it did not run.

Only what analyzers use is read: Secrets without Helm releases and service-account tokens (a field
selector, so the server never sends them), ConfigMaps of the Istio namespace plus every
``istio-ca-root-cert``. Pages are turned into Resources as they arrive and dropped.
Nothing here prints or logs object bodies.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from meshctl.cluster.discovery import crd_backed
from meshctl.cluster.failures import AccessDenied, ReadFailed
from meshctl.cluster.gaps import ReadGap
from meshctl.cluster.options import ClusterOptions
from meshctl.kinds import KINDS
from meshctl.resource import Origin, Resource

ISTIO_SYSTEM = "istio-system"
SECRET_FIELDS = "type!=helm.sh/release.v1,type!=kubernetes.io/service-account-token"
ROOT_CERT_CONFIGMAP = "istio-ca-root-cert"
ISTIOD_SELECTOR = "app=istiod"
PARALLEL_READS = 4
LARGE_KINDS = ("Pod", "Secret", "ConfigMap", "ReplicaSet", "Service", "EndpointSlice", "Endpoints", "Deployment")
"""Kinds that usually hold the most objects (the most pages): their reads start first, so the longest
chain of pages does not begin after the small reads."""


@dataclass(frozen=True)
class LiveLoad:
    """What the cluster gave: resources, kinds it does not serve, and what could not be read."""

    resources: list[Resource]
    unavailable: frozenset[str]
    denied: tuple[ReadGap, ...] = ()
    failed: tuple[ReadGap, ...] = ()
    broken_crds: tuple[str, ...] = ()


@dataclass(frozen=True)
class Read:
    """One LIST: a kind, a namespace (None: cluster-wide) and its selectors."""

    key: str
    namespace: str | None = None
    field_selector: str | None = None
    label_selector: str | None = None


def reads_for(key: str, namespaced: bool, istio_namespace: str) -> list[Read]:
    """The LISTs that fetch what analyzers use of a kind."""
    if key == "Secret":
        return [Read(key, None, SECRET_FIELDS)]
    if key == "ConfigMap":
        return [Read(key, istio_namespace), Read(key, None, f"metadata.name={ROOT_CERT_CONFIGMAP}")]
    return [Read(key)]


def fallback_scopes(namespace: str | None, default_ns: str, istio_namespace: str) -> list[str]:
    """Where to list a kind the user may not list cluster-wide."""
    ns = namespace or default_ns
    return [ns] if ns == istio_namespace else [ns, istio_namespace]


@dataclass
class _Loader:
    client: Any
    namespace: str | None
    istio_namespace: str
    origin: Origin
    resources: dict[tuple[str, str | None, str], Resource] = field(default_factory=dict)
    denied: list[ReadGap] = field(default_factory=list)
    failed: list[ReadGap] = field(default_factory=list)
    gone: set[str] = field(default_factory=set)

    def _pages(self, read: Read, namespace: str | None) -> Iterator[list[dict[str, Any]]]:
        return self.client.pages(read.key, namespace, label_selector=read.label_selector,
                                 field_selector=read.field_selector)

    def _take(self, read: Read, namespace: str | None, into: list[Resource]) -> None:
        for page in self._pages(read, namespace):
            into.extend(Resource.from_dict(item, self.origin) for item in page)

    def run(self, read: Read, namespaced: bool) -> list[Resource]:
        """One read, with the fallback to namespaces on a cluster-wide 403 (thread-safe: gaps are
        appended, the resources returned)."""
        out: list[Resource] = []
        try:
            self._take(read, read.namespace, out)
            return out
        except AccessDenied as exc:
            if read.namespace is not None or not namespaced:
                self.denied.append(ReadGap(read.key, read.namespace, str(exc)))
                return out
            self.denied.append(ReadGap(read.key, None, str(exc)))
        except ReadFailed as exc:
            if exc.status == 404:  # removed since discovery: nothing of it to read
                self.gone.add(read.key)
                self.client.refresh_discovery()
                return []
            self.failed.append(ReadGap(read.key, read.namespace, str(exc)))
            return []
        out = []
        for ns in fallback_scopes(self.namespace, self.client.default_namespace, self.istio_namespace):
            try:
                self._take(read, ns, out)
            except AccessDenied as exc:
                self.denied.append(ReadGap(read.key, ns, str(exc)))
            except ReadFailed as exc:
                self.failed.append(ReadGap(read.key, ns, str(exc)))
        return out

    def keep(self, found: Iterable[Resource]) -> None:
        """Add read resources (the same object from two reads once)."""
        for res in found:
            self.resources[(res.key, res.namespace, res.name)] = res

    def run_all(self, reads: list[tuple[Read, bool]]) -> None:
        """Run reads a few at a time (the server works on one while this process decodes another),
        the large kinds first; results are kept in the order of ``reads``, whatever order they
        start or finish in."""
        def rank(index: int) -> tuple[int, int]:
            key = reads[index][0].key
            return (LARGE_KINDS.index(key) if key in LARGE_KINDS else len(LARGE_KINDS), index)

        with ThreadPoolExecutor(max_workers=PARALLEL_READS) as pool:
            futures = {i: pool.submit(self.run, *reads[i]) for i in sorted(range(len(reads)), key=rank)}
            for i in range(len(reads)):
                self.keep(futures[i].result())


def load_live(opts: ClusterOptions, kinds: Iterable[str], namespace: str | None = None,
              all_namespaces: bool = False, istio_namespace: str = ISTIO_SYSTEM,
              istiod: bool = False) -> LiveLoad:
    """LIST what the analyzers need and wrap the items as Resources from the cluster; with ``istiod``,
    istiod's pods too (for the Istio version) when Pods are not read anyway."""
    from meshctl.cluster.client import get_client

    client = get_client(opts)
    wanted = sorted(set(kinds))
    loader = _Loader(client, None if all_namespaces else namespace, istio_namespace,
                     Origin(cluster=client.context_name))
    discovery, why = None, ""
    trust = "CustomResourceDefinition" in wanted  # a CRD installed since the cache was written shows there
    try:
        discovery = client.discovery_for(wanted, trust_absent_crds=trust)
    except ReadFailed as exc:
        why = f"discovery failed: {exc}"
    unavailable, reads = _plan(client, loader, discovery, why, wanted, istio_namespace)
    if istiod and "Pod" not in wanted:
        reads.append((Read("Pod", istio_namespace, label_selector=ISTIOD_SELECTOR), True))
    loader.run_all(reads)
    if trust and discovery is not None and client.discovery_from_cache and _maybe_newly_defined(loader, unavailable):
        client.refresh_discovery()  # the cached answer predates a CRD: discover again, read what it serves
        again = sorted(unavailable)
        unavailable, reads = _plan(client, loader, client.discovery(), why, again, istio_namespace)
        loader.run_all(reads)
    unavailable |= loader.gone
    broken = _broken_crds(loader, unavailable) if "CustomResourceDefinition" in wanted else ()
    return LiveLoad(list(loader.resources.values()), frozenset(unavailable), _sorted(loader.denied),
                    _sorted(loader.failed), broken)


def _maybe_newly_defined(loader: _Loader, unavailable: set[str]) -> bool:
    """Whether the CRD list holds a definition of a kind discovery did not serve (or could not be read
    while such a kind is missing)."""
    if any(g.kind == "CustomResourceDefinition" for g in (*loader.denied, *loader.failed)):
        return any(crd_backed(key) for key in unavailable)
    names = {r.name for r in loader.resources.values() if r.key == "CustomResourceDefinition"}
    return any(f"{KINDS[key].plural}.{KINDS[key].group}" in names for key in unavailable if key in KINDS)


def _plan(client: Any, loader: _Loader, discovery: Any, why: str, wanted: list[str],
          istio_namespace: str) -> tuple[set[str], list[tuple[Read, bool]]]:
    """The kinds of ``wanted`` not served, and the reads of those that are (failures go to the loader)."""
    served = discovery.served_keys() if discovery else set()
    unavailable: set[str] = set()
    reads: list[tuple[Read, bool]] = []
    for key in wanted:
        info = KINDS.get(key)
        if discovery is None and client.needs_discovery(key):
            loader.failed.append(ReadGap(key, None, why))
            continue
        if discovery is not None and key not in served:
            reason = discovery.failed_reason(key)
            if reason:
                loader.failed.append(ReadGap(key, None, reason))
            elif info is not None:
                unavailable.add(key)  # not served; kind keys meshctl does not know (MeshConfig) are ignored
            continue
        served_as = None if info or discovery is None else discovery.target_for_key(key)
        namespaced = info.namespaced if info else bool(served_as and served_as.namespaced)
        reads.extend((read, namespaced) for read in reads_for(key, namespaced, istio_namespace))
    return unavailable, reads


def _sorted(gaps: list[ReadGap]) -> tuple[ReadGap, ...]:
    return tuple(sorted(gaps, key=lambda g: (g.kind, g.namespace or "", g.reason)))


def _broken_crds(loader: _Loader, unavailable: set[str]) -> tuple[str, ...]:
    """CRDs of unserved kinds that exist but are not Established (a names conflict, for one), from the
    CRD list the analyzers asked for (no extra request)."""
    crds = [r.body for r in loader.resources.values() if r.key == "CustomResourceDefinition"]
    by_name = {str((c.get("metadata") or {}).get("name") or ""): c for c in crds}
    out: list[str] = []
    for key in sorted(unavailable):
        info = KINDS[key]
        crd = by_name.get(f"{info.plural}.{info.group}")
        if crd is not None and not _established(crd):
            out.append(describe_unestablished(crd, info.kind))
    return tuple(out)


def _established(crd: dict[str, Any]) -> bool:
    return any(isinstance(c, dict) and c.get("type") == "Established" and c.get("status") == "True"
               for c in (crd.get("status") or {}).get("conditions") or [])


def describe_unestablished(crd: dict[str, Any], kind: str) -> str:
    """``CRD grpcroutes... is not Established (NamesAccepted False: ...)``."""
    name = str((crd.get("metadata") or {}).get("name") or "")
    conditions = (crd.get("status") or {}).get("conditions") or []
    bad = [c for c in conditions if isinstance(c, dict) and c.get("status") != "True"
           and c.get("type") in ("NamesAccepted", "Established")]
    detail = "; ".join(f"{c.get('type')} {c.get('status')}: {c.get('message') or c.get('reason') or ''}".strip()
                       for c in bad) or "no Established condition"
    return f"CustomResourceDefinition {name} is not Established ({detail}); {kind} is not served and not analysed"
