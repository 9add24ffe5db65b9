"""Resource types the fake server serves, and the discovery documents built from them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ALL_VERBS = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")
CLUSTER_VERBS = ALL_VERBS


@dataclass(frozen=True)
class ResourceType:
    """One served resource: where it lives and what it is called."""

    group: str
    version: str
    plural: str
    kind: str
    namespaced: bool
    short_names: tuple[str, ...] = ()
    verbs: tuple[str, ...] = ALL_VERBS
    subresources: tuple[str, ...] = ()
    categories: tuple[str, ...] = field(default=())

    @property
    def singular(self) -> str:
        """Lower-case kind, as the real server reports it."""
        return self.kind.lower()

    @property
    def group_version(self) -> str:
        """``v1`` for the core group, ``group/version`` otherwise."""
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def key(self) -> tuple[str, str, str]:
        """(group, version, plural)."""
        return (self.group, self.version, self.plural)


def _rt(gv: str, plural: str, kind: str, namespaced: bool = True, short: tuple[str, ...] = (), **kw: Any):
    group, _, version = gv.rpartition("/")
    return ResourceType(group, version, plural, kind, namespaced, short, **kw)


_STATUS = ("status",)
BUILTINS: tuple[ResourceType, ...] = (
    _rt("v1", "namespaces", "Namespace", False, ("ns",), subresources=_STATUS,
        verbs=("create", "delete", "get", "list", "patch", "update", "watch")),
    _rt("v1", "nodes", "Node", False, ("no",), subresources=_STATUS),
    _rt("v1", "pods", "Pod", True, ("po",), subresources=("status", "log", "portforward", "exec")),
    _rt("v1", "services", "Service", True, ("svc",), subresources=_STATUS,
        verbs=("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")),
    _rt("v1", "endpoints", "Endpoints", True, ("ep",)),
    _rt("v1", "configmaps", "ConfigMap", True, ("cm",)),
    _rt("v1", "secrets", "Secret", True),
    _rt("v1", "serviceaccounts", "ServiceAccount", True, ("sa",)),
    _rt("v1", "events", "Event", True, ("ev",)),
    _rt("apps/v1", "deployments", "Deployment", True, ("deploy",), subresources=("status", "scale")),
    _rt("apps/v1", "statefulsets", "StatefulSet", True, ("sts",), subresources=("status", "scale")),
    _rt("apps/v1", "daemonsets", "DaemonSet", True, ("ds",), subresources=_STATUS),
    _rt("apps/v1", "replicasets", "ReplicaSet", True, ("rs",), subresources=("status", "scale")),
    _rt("batch/v1", "jobs", "Job", True, subresources=_STATUS),
    _rt("batch/v1", "cronjobs", "CronJob", True, ("cj",), subresources=_STATUS),
    _rt("discovery.k8s.io/v1", "endpointslices", "EndpointSlice", True),
    _rt("policy/v1", "poddisruptionbudgets", "PodDisruptionBudget", True, ("pdb",), subresources=_STATUS),
    _rt("autoscaling/v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", True, ("hpa",),
        subresources=_STATUS),
    _rt("rbac.authorization.k8s.io/v1", "roles", "Role", True),
    _rt("rbac.authorization.k8s.io/v1", "rolebindings", "RoleBinding", True),
    _rt("rbac.authorization.k8s.io/v1", "clusterroles", "ClusterRole", False),
    _rt("rbac.authorization.k8s.io/v1", "clusterrolebindings", "ClusterRoleBinding", False),
    _rt("admissionregistration.k8s.io/v1", "mutatingwebhookconfigurations",
        "MutatingWebhookConfiguration", False),
    _rt("admissionregistration.k8s.io/v1", "validatingwebhookconfigurations",
        "ValidatingWebhookConfiguration", False),
    _rt("apiextensions.k8s.io/v1", "customresourcedefinitions", "CustomResourceDefinition", False,
        ("crd", "crds"), subresources=_STATUS),
    _rt("authorization.k8s.io/v1", "selfsubjectaccessreviews", "SelfSubjectAccessReview", False,
        verbs=("create",)),
    _rt("authorization.k8s.io/v1", "subjectaccessreviews", "SubjectAccessReview", False, verbs=("create",)),
)
CRD_KEY = ("apiextensions.k8s.io", "v1", "customresourcedefinitions")
VIRTUAL = {("authorization.k8s.io", "v1", "selfsubjectaccessreviews"),
           ("authorization.k8s.io", "v1", "subjectaccessreviews")}


def types_from_crd(crd: dict[str, Any]) -> list[ResourceType]:
    """The resource types a CustomResourceDefinition serves (one per served version)."""
    spec = crd.get("spec") or {}
    names = spec.get("names") or {}
    namespaced = spec.get("scope", "Namespaced") == "Namespaced"
    subresources = tuple(sorted(((spec.get("versions") or [{}])[0].get("subresources") or {}).keys()))
    return [
        ResourceType(
            spec.get("group", ""), v["name"], names.get("plural", ""), names.get("kind", ""), namespaced,
            tuple(names.get("shortNames") or ()), ALL_VERBS, subresources,
            tuple(names.get("categories") or ()),
        )
        for v in spec.get("versions") or []
        if v.get("served", True)
    ]


class Registry:
    """Lookup of served resource types, built-ins plus CRD-backed ones."""

    def __init__(self) -> None:
        self._builtins = {rt.key: rt for rt in BUILTINS}
        self._crds: dict[str, list[ResourceType]] = {}

    def all(self) -> list[ResourceType]:
        """Every served type, built-ins first."""
        out = list(self._builtins.values())
        for types in self._crds.values():
            out.extend(t for t in types if t.key not in self._builtins)
        return out

    def get(self, group: str, version: str, plural: str) -> ResourceType | None:
        """The type served at group/version/plural, or None."""
        for rt in self.all():
            if rt.key == (group, version, plural):
                return rt
        return None

    def by_kind(self, api_version: str, kind: str) -> ResourceType | None:
        """The type for an object's apiVersion and kind."""
        for rt in self.all():
            if rt.group_version == api_version and rt.kind == kind:
                return rt
        return None

    def is_builtin(self, rt: ResourceType) -> bool:
        """Whether ``rt`` is compiled in (not CRD-backed)."""
        return rt.key in self._builtins

    def set_crd(self, name: str, crd: dict[str, Any] | None) -> None:
        """Serve (or, with None, stop serving) a CRD's types."""
        if crd is None:
            self._crds.pop(name, None)
        else:
            self._crds[name] = types_from_crd(crd)

    def groups(self) -> dict[str, list[str]]:
        """Named API groups and their versions, in first-seen order (preferred first)."""
        out: dict[str, list[str]] = {}
        for rt in self.all():
            if rt.group:
                versions = out.setdefault(rt.group, [])
                if rt.version not in versions:
                    versions.append(rt.version)
        return out


def _resource_entry(rt: ResourceType) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "name": rt.plural, "singularName": rt.singular, "namespaced": rt.namespaced,
        "kind": rt.kind, "verbs": list(rt.verbs),
    }
    if rt.short_names:
        entry["shortNames"] = list(rt.short_names)
    if rt.categories:
        entry["categories"] = list(rt.categories)
    return entry


def _subresource_entry(rt: ResourceType, sub: str) -> dict[str, Any]:
    kinds = {"log": "Pod", "portforward": "PodPortForwardOptions", "exec": "PodExecOptions", "scale": "Scale"}
    verbs = {"log": ["get"], "portforward": ["create", "get"], "exec": ["create", "get"]}
    return {
        "name": f"{rt.plural}/{sub}", "singularName": "", "namespaced": rt.namespaced,
        "kind": kinds.get(sub, rt.kind), "verbs": verbs.get(sub, ["get", "patch", "update"]),
    }


def resource_list(registry: Registry, group: str, version: str) -> dict[str, Any] | None:
    """APIResourceList for one group/version, or None when not served."""
    types = [rt for rt in registry.all() if (rt.group, rt.version) == (group, version)]
    if not types:
        return None
    resources: list[dict[str, Any]] = []
    for rt in types:
        resources.append(_resource_entry(rt))
        resources.extend(_subresource_entry(rt, sub) for sub in rt.subresources)
    gv = f"{group}/{version}" if group else version
    return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": resources}


def _group_entry(name: str, versions: list[str]) -> dict[str, Any]:
    entries = [{"groupVersion": f"{name}/{v}", "version": v} for v in versions]
    return {"name": name, "versions": entries, "preferredVersion": entries[0]}


def api_group_list(registry: Registry) -> dict[str, Any]:
    """The /apis document."""
    groups = [_group_entry(n, v) for n, v in registry.groups().items()]
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}


def api_group(registry: Registry, group: str) -> dict[str, Any] | None:
    """The /apis/<group> document, or None."""
    versions = registry.groups().get(group)
    if not versions:
        return None
    return {"kind": "APIGroup", "apiVersion": "v1", **_group_entry(group, versions)}


def api_versions(server_address: str) -> dict[str, Any]:
    """The /api document."""
    return {
        "kind": "APIVersions", "versions": ["v1"],
        "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": server_address}],
    }
