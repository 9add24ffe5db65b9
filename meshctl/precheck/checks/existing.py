"""Existing mesh: installed revisions, upgrade path, Istio and Gateway API CRDs, leftovers."""

from __future__ import annotations

from collections.abc import Iterator

from meshctl.analysis.message import Message
from meshctl.kinds import ISTIO_GROUPS
from meshctl.precheck import versions
from meshctl.precheck.controlplane import ControlPlane, control_planes
from meshctl.precheck.model import PrecheckRequest, PrecheckSnapshot
from meshctl.precheck.registry import check, finding
from meshctl.resource import Resource

GATEWAY_API_GROUP = "gateway.networking.k8s.io"
BUNDLE_VERSION = "gateway.networking.k8s.io/bundle-version"
CRD_VERSION_LABELS = ("app.kubernetes.io/version", "operator.istio.io/version")
ISTIO_CRD_GROUPS = ISTIO_GROUPS | {"install.istio.io"}


@check("control-plane-revisions", "existing-mesh",
       "Lists the Istio control planes (revision and version) already installed.",
       needs=("Deployment",), codes=("MSH0804",))
def control_plane_revisions(snap: PrecheckSnapshot, req: PrecheckRequest) -> Iterator[Message]:
    """MSH0804 (Info) for every istiod found in the Istio namespace."""
    for cp in control_planes(snap, req.istio_namespace):
        yield finding("MSH0804", cp.deployment, version=cp.version or "(unknown version)",
                      revision=cp.revision, namespace=req.istio_namespace)


def _upgrade_sources(installed: list[ControlPlane], req: PrecheckRequest) -> list[tuple[str, str]]:
    """(version, origin) pairs to upgrade from: --from-version, else the revision replaced, else all."""
    if req.from_version:
        return [(req.from_version, "Cluster")]
    known = [cp for cp in installed if cp.version]
    same = [cp for cp in known if cp.revision == req.target_revision]
    return [(str(cp.version), cp.deployment.friendly_name()) for cp in (same or known)]


def jump_problem(from_version: str, to_version: str) -> str | None:
    """Why going from one Istio version to another is unsupported, or None."""
    src, dst = versions.parse(from_version), versions.parse(to_version)
    if src is None or dst is None:
        return None
    if src > dst:
        return "downgrades are not supported"
    if dst[0] != src[0] or dst[1] - src[1] > 1:
        skipped = dst[1] - src[1] - 1 if dst[0] == src[0] else "several"
        return f"the upgrade skips {skipped} minor version(s); upgrade one minor version at a time"
    return None


@check("upgrade-path", "existing-mesh",
       "The installed (or --from-version) Istio is at most one minor version behind, and not ahead.",
       needs=("Deployment",), codes=("MSH0805",))
def upgrade_path(snap: PrecheckSnapshot, req: PrecheckRequest) -> Iterator[Message]:
    """MSH0805 for jumps of more than one minor version and for downgrades."""
    for version, origin in _upgrade_sources(control_planes(snap, req.istio_namespace), req):
        reason = jump_problem(version, req.istio_version)
        if reason:
            yield finding("MSH0805", origin=origin, from_version=version, to_version=req.istio_version,
                          reason=reason)


def crd_group(crd: Resource) -> str:
    """``spec.group`` of a CustomResourceDefinition."""
    return str(crd.spec.get("group") or "")


def _istio_crd_version(crd: Resource) -> str | None:
    for label in CRD_VERSION_LABELS:
        if crd.labels.get(label):
            return str(crd.labels[label])
    chart = crd.labels.get("helm.sh/chart", "")
    return chart.rpartition("-")[2] if chart.startswith("base-") else None


@check("istio-crd-versions", "existing-mesh",
       "Installed Istio CRDs are at most one minor version behind the Istio being installed.",
       needs=("CustomResourceDefinition",), codes=("MSH0806",))
def istio_crd_versions(snap: PrecheckSnapshot, req: PrecheckRequest) -> Iterator[Message]:
    """MSH0806 for each Istio CRD labelled with a version more than one minor behind."""
    target = versions.minor(req.istio_version)
    for crd in snap.of_kind("CustomResourceDefinition"):
        if crd_group(crd) not in ISTIO_CRD_GROUPS:
            continue
        label = _istio_crd_version(crd)
        found = versions.minor(label)
        if target and found and found[0] == target[0] and target[1] - found[1] > 1:
            yield finding("MSH0806", crd, crd=crd.name, version=label, to_version=req.istio_version)


@check("gateway-api-crds", "existing-mesh",
       "Gateway API CRDs, when installed, are a bundle version this Istio (and the next) supports.",
       needs=("CustomResourceDefinition",), codes=("MSH0807", "IST0172", "MSH0808"))
def gateway_api_crds(snap: PrecheckSnapshot, req: PrecheckRequest) -> Iterator[Message]:
    """MSH0807 below the supported bundle, IST0172 below the next release's, MSH0808 when absent."""
    crds = [c for c in snap.of_kind("CustomResourceDefinition") if crd_group(c) == GATEWAY_API_GROUP]
    if not crds:
        yield finding("MSH0808")
        return
    minimum, next_minimum = versions.gateway_api_minimums(req.istio_version)
    for crd in crds:
        bundle = crd.annotations.get(BUNDLE_VERSION)
        found = versions.minor(bundle)
        if found is None:
            continue
        if found < minimum:
            yield finding("MSH0807", crd, crd=crd.name, version=bundle, istio=req.istio_version,
                          minimum=versions.fmt(minimum))
        elif found < next_minimum:
            yield finding("IST0172", crd, version=bundle)


def _leftovers(snap: PrecheckSnapshot, req: PrecheckRequest) -> Iterator[tuple[Resource | None, str]]:
    ns = snap.namespace(req.istio_namespace)
    if ns is not None and (ns.body.get("status") or {}).get("phase") == "Terminating":
        yield ns, f"namespace {ns.name} is still terminating"
    planes = control_planes(snap, req.istio_namespace)
    for cp in planes:
        status = cp.deployment.body.get("status") or {}
        want = int(cp.deployment.spec.get("replicas", 1) or 0)
        if want and not status.get("availableReplicas"):
            yield cp.deployment, f"{cp.deployment.name} has no available replica of {want}"
    if planes:
        return
    istio_crds = [c for c in snap.of_kind("CustomResourceDefinition") if crd_group(c) in ISTIO_CRD_GROUPS]
    if istio_crds and ns is not None:
        yield None, (f"{len(istio_crds)} Istio CRDs and namespace {ns.name} exist but no istiod runs "
                     "there")


@check("partial-install", "existing-mesh",
       "No remains of a failed or half-removed install (terminating namespace, istiod never available).",
       needs=("Deployment", "CustomResourceDefinition", "Namespace"), codes=("MSH0811",))
def partial_install(snap: PrecheckSnapshot, req: PrecheckRequest) -> Iterator[Message]:
    """MSH0811 for each leftover found."""
    for resource, detail in _leftovers(snap, req):
        yield finding("MSH0811", resource, detail=detail)
