"""The Kubernetes and Istio kinds meshctl knows, keyed by a short kind name.

A kind key is the Kind, except where two API groups share a Kind: the Gateway
API's Gateway is ``KubernetesGateway`` (istioctl's name for it).
"""

from __future__ import annotations

from typing import NamedTuple


class KindInfo(NamedTuple):
    """Where a kind is served and how its REST path is spelled."""

    key: str
    kind: str
    group: str
    version: str
    plural: str
    namespaced: bool = True
    versions: tuple[str, ...] = ()

    @property
    def api_version(self) -> str:
        """The apiVersion string, ``v1`` for the core group."""
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def served_versions(self) -> tuple[str, ...]:
        """Every version this kind may be served in, preferred first."""
        return self.versions or (self.version,)


def _k(key: str, group: str, version: str, plural: str, namespaced: bool = True,
       kind: str | None = None, versions: tuple[str, ...] = ()) -> KindInfo:
    return KindInfo(key, kind or key, group, version, plural, namespaced, versions)


NET = "networking.istio.io"
SEC = "security.istio.io"
NET_VERSIONS = ("v1", "v1beta1", "v1alpha3")

KINDS: dict[str, KindInfo] = {k.key: k for k in (
    _k("Namespace", "", "v1", "namespaces", False),
    _k("Node", "", "v1", "nodes", False),
    _k("Pod", "", "v1", "pods"),
    _k("Service", "", "v1", "services"),
    _k("Endpoints", "", "v1", "endpoints"),
    _k("ConfigMap", "", "v1", "configmaps"),
    _k("Secret", "", "v1", "secrets"),
    _k("ServiceAccount", "", "v1", "serviceaccounts"),
    _k("Deployment", "apps", "v1", "deployments"),
    _k("StatefulSet", "apps", "v1", "statefulsets"),
    _k("DaemonSet", "apps", "v1", "daemonsets"),
    _k("ReplicaSet", "apps", "v1", "replicasets"),
    _k("Job", "batch", "v1", "jobs"),
    _k("CronJob", "batch", "v1", "cronjobs"),
    _k("EndpointSlice", "discovery.k8s.io", "v1", "endpointslices"),
    _k("PodDisruptionBudget", "policy", "v1", "poddisruptionbudgets"),
    _k("HorizontalPodAutoscaler", "autoscaling", "v2", "horizontalpodautoscalers"),
    _k("ClusterRole", "rbac.authorization.k8s.io", "v1", "clusterroles", False),
    _k("ClusterRoleBinding", "rbac.authorization.k8s.io", "v1", "clusterrolebindings", False),
    _k("Role", "rbac.authorization.k8s.io", "v1", "roles"),
    _k("RoleBinding", "rbac.authorization.k8s.io", "v1", "rolebindings"),
    _k("MutatingWebhookConfiguration", "admissionregistration.k8s.io", "v1",
       "mutatingwebhookconfigurations", False),
    _k("ValidatingWebhookConfiguration", "admissionregistration.k8s.io", "v1",
       "validatingwebhookconfigurations", False),
    _k("CustomResourceDefinition", "apiextensions.k8s.io", "v1", "customresourcedefinitions", False),
    _k("VirtualService", NET, "v1", "virtualservices", versions=NET_VERSIONS),
    _k("DestinationRule", NET, "v1", "destinationrules", versions=NET_VERSIONS),
    _k("Gateway", NET, "v1", "gateways", versions=NET_VERSIONS),
    _k("ServiceEntry", NET, "v1", "serviceentries", versions=NET_VERSIONS),
    _k("Sidecar", NET, "v1", "sidecars", versions=NET_VERSIONS),
    _k("WorkloadEntry", NET, "v1", "workloadentries", versions=NET_VERSIONS),
    _k("WorkloadGroup", NET, "v1", "workloadgroups", versions=NET_VERSIONS),
    _k("EnvoyFilter", NET, "v1alpha3", "envoyfilters"),
    _k("ProxyConfig", NET, "v1beta1", "proxyconfigs"),
    _k("PeerAuthentication", SEC, "v1", "peerauthentications", versions=("v1", "v1beta1")),
    _k("AuthorizationPolicy", SEC, "v1", "authorizationpolicies", versions=("v1", "v1beta1")),
    _k("RequestAuthentication", SEC, "v1", "requestauthentications", versions=("v1", "v1beta1")),
    _k("Telemetry", "telemetry.istio.io", "v1", "telemetries", versions=("v1", "v1alpha1")),
    _k("WasmPlugin", "extensions.istio.io", "v1alpha1", "wasmplugins"),
    _k("KubernetesGateway", "gateway.networking.k8s.io", "v1", "gateways", kind="Gateway",
       versions=("v1", "v1beta1")),
    _k("HTTPRoute", "gateway.networking.k8s.io", "v1", "httproutes", versions=("v1", "v1beta1")),
    _k("GRPCRoute", "gateway.networking.k8s.io", "v1", "grpcroutes"),
    _k("ReferenceGrant", "gateway.networking.k8s.io", "v1beta1", "referencegrants", versions=("v1beta1", "v1")),
    _k("GatewayClass", "gateway.networking.k8s.io", "v1", "gatewayclasses", False),
)}

ISTIO_GROUPS = frozenset({NET, SEC, "telemetry.istio.io", "extensions.istio.io"})
_BY_GROUP_KIND = {(k.group, k.kind): k for k in KINDS.values()}


def group_of(api_version: str) -> str:
    """The API group of an apiVersion (empty for the core group)."""
    return api_version.rpartition("/")[0]


def kind_key(api_version: str, kind: str) -> str:
    """The kind key for a resource's apiVersion and Kind."""
    info = _BY_GROUP_KIND.get((group_of(api_version), kind))
    return info.key if info else kind


def lookup(key: str) -> KindInfo | None:
    """The KindInfo for a kind key, if meshctl knows it."""
    return KINDS.get(key)


def is_istio_kind(key: str) -> bool:
    """Whether a kind key names an Istio custom resource."""
    info = KINDS.get(key)
    return bool(info and info.group in ISTIO_GROUPS)
