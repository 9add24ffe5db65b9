"""ServiceAccounts, ClusterRoles and Roles (with bindings) for istiod and the gateways."""

from __future__ import annotations

from typing import Any

from meshctl.install.config import InstallConfig
from meshctl.install.meta import Obj, new

RBAC = "rbac.authorization.k8s.io/v1"
READ = ["get", "list", "watch"]
WRITE = ["get", "list", "watch", "create", "update", "patch", "delete"]

ISTIOD_CLUSTER_RULES: list[dict[str, Any]] = [
    {"apiGroups": ["admissionregistration.k8s.io"],
     "resources": ["mutatingwebhookconfigurations", "validatingwebhookconfigurations"],
     "verbs": ["get", "list", "watch", "update", "patch"]},
    {"apiGroups": ["config.istio.io", "security.istio.io", "networking.istio.io", "authentication.istio.io",
                   "rbac.istio.io", "telemetry.istio.io", "extensions.istio.io"],
     "resources": ["*"], "verbs": READ},
    {"apiGroups": ["networking.istio.io", "security.istio.io", "telemetry.istio.io"],
     "resources": ["*/status"], "verbs": ["get", "update", "patch"]},
    {"apiGroups": ["networking.istio.io"], "resources": ["workloadentries", "workloadentries/status"],
     "verbs": WRITE},
    {"apiGroups": ["apiextensions.k8s.io"], "resources": ["customresourcedefinitions"], "verbs": READ},
    {"apiGroups": [""], "resources": ["pods", "nodes", "services", "namespaces", "endpoints"], "verbs": READ},
    {"apiGroups": ["discovery.k8s.io"], "resources": ["endpointslices"], "verbs": READ},
    {"apiGroups": ["networking.k8s.io"], "resources": ["ingresses", "ingressclasses"], "verbs": READ},
    {"apiGroups": ["networking.k8s.io"], "resources": ["ingresses/status"], "verbs": ["*"]},
    {"apiGroups": [""], "resources": ["configmaps"], "verbs": ["create", "get", "list", "watch", "update"]},
    {"apiGroups": ["authentication.k8s.io"], "resources": ["tokenreviews"], "verbs": ["create"]},
    {"apiGroups": ["authorization.k8s.io"], "resources": ["subjectaccessreviews"], "verbs": ["create"]},
    {"apiGroups": ["certificates.k8s.io"],
     "resources": ["certificatesigningrequests", "certificatesigningrequests/approval",
                   "certificatesigningrequests/status"],
     "verbs": ["update", "create", "get", "delete", "watch"]},
    {"apiGroups": ["gateway.networking.k8s.io", "gateway.networking.x-k8s.io"], "resources": ["*"],
     "verbs": READ},
    {"apiGroups": ["gateway.networking.k8s.io", "gateway.networking.x-k8s.io"], "resources": ["*/status"],
     "verbs": ["update", "patch"]},
    {"apiGroups": [""], "resources": ["serviceaccounts"], "verbs": ["get", "watch", "list"]},
    {"apiGroups": ["apps"], "resources": ["deployments"], "verbs": READ},
]
ISTIOD_NS_RULES: list[dict[str, Any]] = [
    {"apiGroups": [""], "resources": ["secrets"], "verbs": ["create", "get", "watch", "list", "update", "delete"]},
    {"apiGroups": [""], "resources": ["configmaps"], "verbs": ["delete"]},
    {"apiGroups": ["coordination.k8s.io"], "resources": ["leases"], "verbs": WRITE},
]


def service_account(cfg: InstallConfig, name: str, component: str, namespace: str | None = None) -> Obj:
    """A ServiceAccount in the control-plane (or a gateway's) namespace."""
    obj = new("v1", "ServiceAccount", name, cfg, component)
    if namespace:
        obj["metadata"]["namespace"] = namespace
    return obj


def cluster_role(cfg: InstallConfig, name: str, component: str, rules: list[dict[str, Any]]) -> Obj:
    """A ClusterRole."""
    obj = new(RBAC, "ClusterRole", name, cfg, component, namespaced=False)
    obj["rules"] = rules
    return obj


def binding(cfg: InstallConfig, kind: str, name: str, component: str, sa: str,
            namespace: str | None = None) -> Obj:
    """A (Cluster)RoleBinding of the same-named role to one ServiceAccount."""
    namespaced = kind == "RoleBinding"
    obj = new(RBAC, kind, name, cfg, component, namespaced=namespaced)
    if namespaced and namespace:
        obj["metadata"]["namespace"] = namespace
    role_kind = "Role" if namespaced else "ClusterRole"
    obj["roleRef"] = {"apiGroup": "rbac.authorization.k8s.io", "kind": role_kind, "name": name}
    obj["subjects"] = [{"kind": "ServiceAccount", "name": sa, "namespace": namespace or cfg.namespace}]
    return obj


def role(cfg: InstallConfig, name: str, component: str, rules: list[dict[str, Any]],
         namespace: str | None = None) -> Obj:
    """A namespaced Role."""
    obj = new(RBAC, "Role", name, cfg, component)
    if namespace:
        obj["metadata"]["namespace"] = namespace
    obj["rules"] = rules
    return obj


def istiod_sa_name(cfg: InstallConfig) -> str:
    """istiod's ServiceAccount: ``istiod`` or ``istiod-<rev>``."""
    return cfg.suffixed("istiod")


def istiod(cfg: InstallConfig) -> list[Obj]:
    """istiod's ServiceAccount, ClusterRole(Binding) and Role(Binding)."""
    sa = istiod_sa_name(cfg)
    cluster_name = f"{sa}-clusterrole-{cfg.namespace}"
    role_name = f"{sa}-role"
    return [
        service_account(cfg, sa, "pilot"),
        cluster_role(cfg, cluster_name, "pilot", ISTIOD_CLUSTER_RULES),
        binding(cfg, "ClusterRoleBinding", cluster_name, "pilot", sa),
        role(cfg, role_name, "pilot", ISTIOD_NS_RULES),
        binding(cfg, "RoleBinding", role_name, "pilot", sa),
    ]


def gateway(cfg: InstallConfig, name: str, component: str, namespace: str) -> list[Obj]:
    """A gateway's ServiceAccount and the Role letting it read TLS secrets (SDS)."""
    sa = f"{name}-service-account"
    sds = f"{name}-sds"
    rules = [{"apiGroups": [""], "resources": ["secrets"], "verbs": READ}]
    return [
        service_account(cfg, sa, component, namespace),
        role(cfg, sds, component, rules, namespace),
        binding(cfg, "RoleBinding", sds, component, sa, namespace),
    ]
