"""The permissions install needs and the reads precheck itself does, as SSAR questions."""

from __future__ import annotations

from meshctl.precheck.model import Permission, PrecheckRequest
from meshctl.precheck.profiles import NEEDS_CNI

INSTALL_VERBS = ("create", "get", "patch")

CLUSTER_RESOURCES: tuple[tuple[str, str], ...] = (
    ("namespaces", ""),
    ("customresourcedefinitions", "apiextensions.k8s.io"),
    ("clusterroles", "rbac.authorization.k8s.io"),
    ("clusterrolebindings", "rbac.authorization.k8s.io"),
    ("mutatingwebhookconfigurations", "admissionregistration.k8s.io"),
    ("validatingwebhookconfigurations", "admissionregistration.k8s.io"),
)
"""Cluster-scoped resources every profile creates or updates."""

NAMESPACED_RESOURCES: tuple[tuple[str, str], ...] = (
    ("serviceaccounts", ""),
    ("services", ""),
    ("configmaps", ""),
    ("secrets", ""),
    ("deployments", "apps"),
    ("roles", "rbac.authorization.k8s.io"),
    ("rolebindings", "rbac.authorization.k8s.io"),
    ("poddisruptionbudgets", "policy"),
    ("horizontalpodautoscalers", "autoscaling"),
)
"""Resources every profile creates in the Istio namespace."""

AMBIENT_RESOURCES: tuple[tuple[str, str], ...] = (("daemonsets", "apps"),)
"""Extra resources the ambient profile creates (istio-cni and ztunnel DaemonSets)."""

CLUSTER_READS: tuple[tuple[str, str], ...] = (
    ("nodes", ""), ("namespaces", ""), ("customresourcedefinitions", "apiextensions.k8s.io"),
    ("mutatingwebhookconfigurations", "admissionregistration.k8s.io"),
    ("validatingwebhookconfigurations", "admissionregistration.k8s.io"),
)
NAMESPACED_READS: tuple[tuple[str, str], ...] = (("deployments", "apps"), ("pods", ""), ("services", ""))
CNI_NAMESPACES = ("kube-system", "calico-system", "kube-flannel")
"""Where precheck looks for the primary CNI plugin's DaemonSet (profiles that chain istio-cni)."""


def install_permissions(request: PrecheckRequest) -> list[Permission]:
    """Every (verb, resource) that installing ``request.profile`` needs."""
    ns = request.istio_namespace
    namespaced = [*NAMESPACED_RESOURCES, *(AMBIENT_RESOURCES if request.profile == "ambient" else ())]
    perms = [Permission(v, r, g) for r, g in CLUSTER_RESOURCES for v in INSTALL_VERBS]
    perms += [Permission(v, r, g, ns) for r, g in namespaced for v in INSTALL_VERBS]
    return perms


def read_permissions(request: PrecheckRequest) -> list[Permission]:
    """The lists precheck itself does."""
    ns = request.istio_namespace
    perms = [Permission("list", r, g) for r, g in CLUSTER_READS]
    perms += [Permission("list", r, g, ns) for r, g in NAMESPACED_READS]
    if request.profile in NEEDS_CNI:
        perms += [Permission("list", "daemonsets", "apps", cni_ns) for cni_ns in CNI_NAMESPACES]
    return perms


def required_permissions(request: PrecheckRequest) -> list[Permission]:
    """Install's permissions and precheck's reads, without duplicates, in a stable order."""
    return sorted(set(install_permissions(request)) | set(read_permissions(request)))


def describe_missing(missing: list[Permission]) -> str:
    """``create, patch customresourcedefinitions.apiextensions.k8s.io cluster-wide; list pods in x``."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for perm in sorted(missing):
        grouped.setdefault((perm.qualified, perm.scope), []).append(perm.verb)
    ordered = sorted(grouped.items(), key=lambda kv: (kv[0][1] != "cluster-wide", kv[0]))
    return "; ".join(f"{', '.join(verbs)} {res} {scope}" for (res, scope), verbs in ordered)
