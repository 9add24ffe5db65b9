"""Data plane: injection labels point at real revisions; injected namespaces' pods have current proxies."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from meshctl.analysis.message import Message
from meshctl.analysis.selectors import pod_inject_setting, proxy_containers
from meshctl.precheck import versions
from meshctl.precheck.controlplane import (
    REVISION_LABEL,
    control_planes,
    injection_revision,
    proxy_version,
    revision_tags,
    summarize,
)
from meshctl.precheck.model import PrecheckRequest, PrecheckSnapshot
from meshctl.precheck.registry import check, finding
from meshctl.resource import Resource

DONE_PHASES = ("Succeeded", "Failed")


def injected_namespaces(snap: PrecheckSnapshot, req: PrecheckRequest) -> list[Resource]:
    """Namespaces labelled for sidecar injection (the Istio namespace excluded)."""
    return [ns for ns in snap.of_kind("Namespace")
            if injection_revision(ns) is not None and ns.name != req.istio_namespace]


@check("injection-labels", "data-plane",
       "Namespaces labelled for injection name a revision (or tag) that exists or is being installed.",
       needs=("Namespace", "Deployment", "MutatingWebhookConfiguration"), codes=("MSH0819",))
def injection_labels(snap: PrecheckSnapshot, req: PrecheckRequest) -> Iterator[Message]:
    """MSH0819 for namespaces whose istio.io/rev names no revision, tag or the target revision."""
    known = {cp.revision for cp in control_planes(snap, req.istio_namespace)}
    known |= revision_tags(snap) | {req.target_revision, "default"}
    for ns in injected_namespaces(snap, req):
        revision = injection_revision(ns)
        if revision not in known:
            yield finding("MSH0819", ns, namespace=ns.name, revision=revision)


def _needs_sidecar(pod: Resource) -> bool:
    if (pod.body.get("status") or {}).get("phase") in DONE_PHASES or pod.spec.get("hostNetwork"):
        return False
    return not proxy_containers(pod.spec) and pod_inject_setting(pod) != "false"


@check("pods-without-sidecar", "data-plane",
       "Running pods in namespaces labelled for injection have a sidecar.",
       needs=("Namespace", "Pod"), codes=("MSH0820",))
def pods_without_sidecar(snap: PrecheckSnapshot, req: PrecheckRequest) -> Iterator[Message]:
    """MSH0820 per namespace, naming the pods that run without istio-proxy."""
    for ns in injected_namespaces(snap, req):
        bare = [p.name for p in snap.in_namespace("Pod", ns.name) if _needs_sidecar(p)]
        if bare:
            yield finding("MSH0820", ns, count=len(bare), namespace=ns.name, pods=summarize(bare))


def _control_versions(snap: PrecheckSnapshot, req: PrecheckRequest) -> dict[str, str]:
    """Revision -> control-plane version, with ``*`` for the newest (pods without a revision label)."""
    planes = {cp.revision: cp.version for cp in control_planes(snap, req.istio_namespace) if cp.version}
    if planes:
        planes["*"] = max(planes.values(), key=lambda v: versions.parse(v) or (0, 0, 0))
    return planes


@check("proxy-versions", "data-plane",
       "Sidecar proxies are not older than the control plane of their revision.",
       needs=("Pod", "Deployment"), codes=("MSH0821",))
def proxy_versions(snap: PrecheckSnapshot, req: PrecheckRequest) -> Iterator[Message]:
    """MSH0821 per namespace and (proxy, control plane) version pair."""
    control = _control_versions(snap, req)
    if not control:
        return
    stale: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for pod in snap.of_kind("Pod"):
        proxy = proxy_version(pod)
        want = control.get(pod.labels.get(REVISION_LABEL, ""), control["*"])
        if proxy and (versions.parse(proxy) or (0,)) < (versions.parse(want) or (0,)):
            stale[(str(pod.namespace), proxy, want)].append(pod.name)
    for (namespace, proxy, want), pods in sorted(stale.items()):
        yield finding("MSH0821", origin=f"Namespace {namespace}", count=len(pods), namespace=namespace,
                      proxy=proxy, control=want, pods=summarize(pods))
