"""The ``base`` component: the control-plane namespace, Istio's CRDs and the shared reader RBAC."""

from __future__ import annotations

from meshctl.install.config import InstallConfig
from meshctl.install.meta import MANAGED_BY, MANAGER, REVISION, Obj, new, owner_labels

PRIVILEGED = "privileged"


def namespace(cfg: InstallConfig) -> Obj:
    """The control-plane namespace; privileged Pod Security when node agents (CNI, ztunnel) run there."""
    labels: dict[str, str] = {}
    if cfg.enabled("cni") or cfg.enabled("ztunnel"):
        labels["pod-security.kubernetes.io/enforce"] = PRIVILEGED
    obj = new("v1", "Namespace", cfg.namespace, cfg, "base", namespaced=False, labels=labels)
    # A namespace is shared by revisions: ownership marks it as meshctl's, not one revision's.
    obj["metadata"]["labels"].pop("istio.io/rev", None)
    return obj


def crds(cfg: InstallConfig) -> list[Obj]:
    """A CustomResourceDefinition for every Istio kind, from meshctl's own schemas."""
    from meshctl.schemas.crds import istio_crds

    labels = {**owner_labels(cfg, "base"), MANAGED_BY: MANAGER, REVISION: cfg.rev_label}
    labels.pop("istio.io/rev", None)
    return istio_crds(dict(sorted(labels.items())))


def reader_rbac(cfg: InstallConfig) -> list[Obj]:
    """The istio-reader ServiceAccount and ClusterRole(Binding) used by remote istiods."""
    ns = cfg.namespace
    sa_name = "istio-reader-service-account"
    sa = new("v1", "ServiceAccount", sa_name, cfg, "base")
    role_name = cfg.suffixed("istio-reader-clusterrole") + f"-{ns}"
    role = new("rbac.authorization.k8s.io/v1", "ClusterRole", role_name, cfg, "base", namespaced=False)
    role["rules"] = [
        {"apiGroups": ["config.istio.io", "security.istio.io", "networking.istio.io",
                       "authentication.istio.io", "rbac.istio.io", "telemetry.istio.io",
                       "extensions.istio.io"], "resources": ["*"], "verbs": ["get", "list", "watch"]},
        {"apiGroups": [""], "resources": ["endpoints", "pods", "services", "nodes", "replicationcontrollers",
                                          "namespaces", "secrets"], "verbs": ["get", "list", "watch"]},
        {"apiGroups": ["discovery.k8s.io"], "resources": ["endpointslices"], "verbs": ["get", "list", "watch"]},
        {"apiGroups": ["apps"], "resources": ["replicasets"], "verbs": ["get", "list", "watch"]},
        {"apiGroups": ["authentication.k8s.io"], "resources": ["tokenreviews"], "verbs": ["create"]},
        {"apiGroups": ["authorization.k8s.io"], "resources": ["subjectaccessreviews"], "verbs": ["create"]},
    ]
    binding = new("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", role_name, cfg, "base",
                  namespaced=False)
    binding["roleRef"] = {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role_name}
    binding["subjects"] = [{"kind": "ServiceAccount", "name": sa_name, "namespace": ns}]
    return [sa, role, binding]


def build(cfg: InstallConfig) -> list[Obj]:
    """Everything in the base component (nothing when it is disabled)."""
    if not cfg.enabled("base"):
        return []
    return [*crds(cfg), *reader_rbac(cfg)]
