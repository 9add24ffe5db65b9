"""What is already installed: control-plane revisions, their versions, injection labels and proxies."""

from __future__ import annotations

from dataclasses import dataclass

from meshctl.analysis.selectors import proxy_containers
from meshctl.conventions import labels
from meshctl.precheck import versions
from meshctl.precheck.model import PrecheckSnapshot
from meshctl.resource import Resource

INJECTION_LABEL = labels.INJECTION
REVISION_LABEL = labels.REVISION
TAG_LABEL = labels.TAG
VERSION_LABELS = ("app.kubernetes.io/version", "operator.istio.io/version")


@dataclass(frozen=True)
class ControlPlane:
    """One istiod Deployment: its revision, Istio version (None when unknown) and the object."""

    revision: str
    version: str | None
    deployment: Resource


def _deployment_version(dep: Resource) -> str | None:
    containers = ((dep.spec.get("template") or {}).get("spec") or {}).get("containers") or []
    for container in containers:
        found = versions.image_tag_version(container.get("image"))
        if found:
            return found
    for label in VERSION_LABELS:
        parsed = versions.parse(dep.labels.get(label))
        if parsed:
            return versions.fmt(parsed)
    return None


def is_istiod(dep: Resource) -> bool:
    """Whether a Deployment is an istiod (label ``app=istiod`` or named ``istiod[-rev]``)."""
    return dep.labels.get("app") == "istiod" or dep.name == "istiod" or dep.name.startswith("istiod-")


def control_planes(snap: PrecheckSnapshot, namespace: str) -> list[ControlPlane]:
    """Every istiod in the Istio namespace, by revision."""
    out = [ControlPlane(dep.labels.get(REVISION_LABEL) or "default", _deployment_version(dep), dep)
           for dep in snap.in_namespace("Deployment", namespace) if is_istiod(dep)]
    return sorted(out, key=lambda cp: cp.revision)


def revision_tags(snap: PrecheckSnapshot) -> set[str]:
    """Revision tags (``istio.io/tag`` on injection webhooks)."""
    return {w.labels[TAG_LABEL] for w in snap.of_kind("MutatingWebhookConfiguration") if TAG_LABEL in w.labels}


def injection_revision(ns: Resource) -> str | None:
    """The revision a namespace asks for: ``default`` for istio-injection=enabled, else istio.io/rev."""
    if ns.labels.get(INJECTION_LABEL) == "enabled":
        return "default"
    if ns.labels.get(INJECTION_LABEL) == "disabled":
        return None
    return ns.labels.get(REVISION_LABEL)


def proxy_version(pod: Resource) -> str | None:
    """The Istio version of a pod's istio-proxy image, or None (no sidecar, or no tag)."""
    for container in proxy_containers(pod.spec):
        found = versions.image_tag_version(container.get("image"))
        if found:
            return found
    return None


def summarize(names: list[str], limit: int = 5) -> str:
    """``a, b, c and 4 more``."""
    shown = ", ".join(sorted(names)[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")
