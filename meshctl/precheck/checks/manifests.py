"""Offline checks of manifests (``meshctl precheck -f``): alpha annotations, deprecated fields and APIs.

The first two run the analyzers of ``meshctl/analyzers`` through the analysis engine; the third is
a table of API versions that are removed from Kubernetes or superseded in Istio.
"""

from __future__ import annotations

from collections.abc import Iterator

from meshctl.analysis.message import Message
from meshctl.precheck.model import PrecheckRequest, PrecheckSnapshot
from meshctl.precheck.registry import check, finding


@check("alpha-annotations", "manifests",
       "Manifests use no alpha-level Istio annotations, which may change or go away in an upgrade.",
       codes=("IST0136",), analyzer="annotations.AlphaAnalyzer")
def alpha_annotations(snap: PrecheckSnapshot, req: PrecheckRequest) -> Iterator[Message]:
    """Runs annotations.AlphaAnalyzer (through the engine; this body is not called)."""
    return iter(())


@check("deprecated-fields", "manifests",
       "Manifests use no deprecated Istio fields or removed Istio types.",
       codes=("IST0002",), analyzer="deprecation.DeprecationAnalyzer")
def deprecated_fields(snap: PrecheckSnapshot, req: PrecheckRequest) -> Iterator[Message]:
    """Runs deprecation.DeprecationAnalyzer (through the engine; this body is not called)."""
    return iter(())


_NET_KINDS = ("VirtualService", "DestinationRule", "Gateway", "ServiceEntry", "Sidecar",
              "WorkloadEntry", "WorkloadGroup")
_SEC_KINDS = ("PeerAuthentication", "AuthorizationPolicy", "RequestAuthentication")
_RBAC = "rbac.authorization.k8s.io/v1beta1"
_ADMISSION = "admissionregistration.k8s.io/v1beta1"

DEPRECATED_APIS: dict[tuple[str, str], str] = {
    ("policy/v1beta1", "PodDisruptionBudget"): "removed in Kubernetes 1.25; use policy/v1",
    ("policy/v1beta1", "PodSecurityPolicy"): "removed in Kubernetes 1.25; use Pod Security admission",
    ("autoscaling/v2beta1", "HorizontalPodAutoscaler"): "removed in Kubernetes 1.25; use autoscaling/v2",
    ("autoscaling/v2beta2", "HorizontalPodAutoscaler"): "removed in Kubernetes 1.26; use autoscaling/v2",
    ("batch/v1beta1", "CronJob"): "removed in Kubernetes 1.25; use batch/v1",
    ("networking.k8s.io/v1beta1", "Ingress"): "removed in Kubernetes 1.22; use networking.k8s.io/v1",
    ("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition"):
        "removed in Kubernetes 1.22; use apiextensions.k8s.io/v1",
    (_ADMISSION, "MutatingWebhookConfiguration"): "removed in Kubernetes 1.22; use v1",
    (_ADMISSION, "ValidatingWebhookConfiguration"): "removed in Kubernetes 1.22; use v1",
    **{(_RBAC, k): "removed in Kubernetes 1.22; use rbac.authorization.k8s.io/v1"
       for k in ("ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding")},
    **{(f"networking.istio.io/{v}", k): "superseded by networking.istio.io/v1"
       for v in ("v1alpha3", "v1beta1") for k in _NET_KINDS},
    **{("security.istio.io/v1beta1", k): "superseded by security.istio.io/v1" for k in _SEC_KINDS},
    ("telemetry.istio.io/v1alpha1", "Telemetry"): "superseded by telemetry.istio.io/v1",
}
"""(apiVersion, kind) -> why it blocks or will block an upgrade."""


@check("deprecated-apis", "manifests",
       "Manifests use no API versions removed from Kubernetes or superseded in Istio.",
       codes=("IST0002",))
def deprecated_apis(snap: PrecheckSnapshot, req: PrecheckRequest) -> Iterator[Message]:
    """IST0002 for each manifest whose apiVersion is in DEPRECATED_APIS."""
    for resources in snap.objects.values():
        for res in resources:
            why = DEPRECATED_APIS.get((res.api_version, res.kind))
            if why:
                yield finding("IST0002", res, detail=f"{res.api_version} {res.kind} is {why}")
