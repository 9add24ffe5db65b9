"""The mTLS model: effective PeerAuthentication mode per workload and port, and client TLS modes.

Precedence follows Istio: port-level (workload policy) > workload policy > namespace policy >
mesh policy (root namespace, no selector) > PERMISSIVE. When two policies tie, the oldest wins.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from meshctl.analysis.selectors import (
    REVISION_LABEL,
    SIDECAR_INJECT,
    deployment_in_mesh,
    label_selector_matches,
    pod_in_mesh,
    template_labels,
)
from meshctl.resource import Resource

WORKLOAD_KINDS = ("Pod", "Deployment", "StatefulSet", "DaemonSet")
RELAXED = ("PERMISSIVE", "DISABLE")
#: istio-proxy's own inbound ports, which istio-init never redirects (Prometheus, health, agent status).
PROXY_PORTS = frozenset({15090, 15021, 15020})
EXCLUDE_INBOUND = "traffic.sidecar.istio.io/excludeInboundPorts"
INCLUDE_INBOUND = "traffic.sidecar.istio.io/includeInboundPorts"


@dataclass(frozen=True)
class EffectiveMode:
    """The mode a workload port accepts, and the policy that decided it."""

    mode: str
    level: str
    policy: Resource | None

    def source(self) -> str:
        """``PeerAuthentication ns/name (level)`` or ``mesh default``."""
        if self.policy is None:
            return "default (no PeerAuthentication)"
        return f"PeerAuthentication {self.policy.ref()} ({self.level})"


def policy_age(res: Resource) -> tuple[str, str]:
    """Sort key: oldest first (creationTimestamp, then name)."""
    return (str(res.metadata.get("creationTimestamp") or ""), res.name)


def declared_mode(policy: Resource) -> str:
    """``spec.mtls.mode`` upper-cased, ``UNSET`` when absent."""
    return str((policy.spec.get("mtls") or {}).get("mode") or "UNSET").upper()


def port_modes(policy: Resource) -> dict[str, str]:
    """``portLevelMtls`` as port (string) -> mode."""
    levels = policy.spec.get("portLevelMtls") or {}
    return {str(port): str((cfg or {}).get("mode") or "UNSET").upper() for port, cfg in levels.items()}


def has_selector(policy: Resource) -> bool:
    """Whether a policy selects workloads (non-empty matchLabels)."""
    return bool((policy.spec.get("selector") or {}).get("matchLabels"))


class PeerAuthIndex:
    """PeerAuthentications grouped by scope, for effective-mode lookups."""

    def __init__(self, policies: Iterable[Resource], root_namespace: str) -> None:
        ordered = sorted(policies, key=policy_age)
        self.root_namespace = root_namespace
        self.namespace_wide: dict[str | None, list[Resource]] = defaultdict(list)
        self.selecting: dict[str | None, list[Resource]] = defaultdict(list)
        for policy in ordered:
            (self.selecting if has_selector(policy) else self.namespace_wide)[policy.namespace].append(policy)

    def mesh_policy(self) -> Resource | None:
        """The oldest selector-less policy in the root namespace."""
        found = self.namespace_wide.get(self.root_namespace) or []
        return found[0] if found else None

    def namespace_policy(self, namespace: str | None) -> Resource | None:
        """The oldest selector-less policy of a (non-root) namespace."""
        if namespace == self.root_namespace:
            return None
        found = self.namespace_wide.get(namespace) or []
        return found[0] if found else None

    def workload_policy(self, namespace: str | None, labels: Mapping[str, str]) -> Resource | None:
        """The oldest policy whose selector matches the labels."""
        for policy in self.selecting.get(namespace, []):
            if label_selector_matches(policy.spec.get("selector"), labels):
                return policy
        return None

    def parent_mode(self, namespace: str | None) -> EffectiveMode:
        """The mode a namespace gets before workload policies: namespace, else mesh, else PERMISSIVE."""
        current = EffectiveMode("PERMISSIVE", "default", None)
        mesh = self.mesh_policy()
        if mesh is not None and declared_mode(mesh) != "UNSET":
            current = EffectiveMode(declared_mode(mesh), "mesh", mesh)
        ns_policy = self.namespace_policy(namespace)
        if ns_policy is not None and declared_mode(ns_policy) != "UNSET":
            current = EffectiveMode(declared_mode(ns_policy), "namespace", ns_policy)
        return current

    def effective(self, namespace: str | None, labels: Mapping[str, str], port: int | None) -> EffectiveMode:
        """The mode a workload accepts on a port (``None``: the workload-wide mode)."""
        current = self.parent_mode(namespace)
        policy = self.workload_policy(namespace, labels)
        if policy is None:
            return current
        if declared_mode(policy) != "UNSET":
            current = EffectiveMode(declared_mode(policy), "workload", policy)
        mode = port_modes(policy).get(str(port)) if port is not None else None
        if mode and mode != "UNSET":
            current = EffectiveMode(mode, "port", policy)
        return current


def workload_labels(res: Resource) -> dict[str, str]:
    """A Pod's labels, or a workload's pod template labels."""
    return dict(res.labels) if res.kind == "Pod" else template_labels(res)


def has_sidecar(res: Resource, namespaces: Mapping[str, Mapping[str, str]]) -> bool:
    """Whether a Pod (or a workload's pods) runs with an Istio sidecar, revision labels included."""
    in_mesh = pod_in_mesh(res, namespaces) if res.kind == "Pod" else deployment_in_mesh(res, namespaces)
    if in_mesh:
        return True
    labels = workload_labels(res)
    annotations = res.annotations if res.kind == "Pod" else \
        ((res.spec.get("template") or {}).get("metadata") or {}).get("annotations") or {}
    opted_out = "false" in (labels.get(SIDECAR_INJECT), annotations.get(SIDECAR_INJECT))
    ns_labels = namespaces.get(res.namespace or "", {})
    return not opted_out and REVISION_LABEL in ns_labels


def workload_annotations(res: Resource) -> Mapping[str, str]:
    """A Pod's annotations, or a workload's pod template annotations."""
    if res.kind == "Pod":
        return res.annotations
    return ((res.spec.get("template") or {}).get("metadata") or {}).get("annotations") or {}


def _port_list(text: str) -> set[int]:
    return {int(p) for p in (part.strip() for part in str(text).split(",")) if p.isdigit()}


def uncaptured_reason(res: Resource, port: int | None) -> str | None:
    """Why istio-init does not redirect inbound ``port`` to the sidecar (so no PeerAuthentication applies
    to it), or None when it is captured."""
    if port is None:
        return None
    if port in PROXY_PORTS:
        return "istio-proxy's own port, never captured"
    annotations = workload_annotations(res)
    if port in _port_list(annotations.get(EXCLUDE_INBOUND, "")):
        return f"excluded from capture by {EXCLUDE_INBOUND}"
    include = annotations.get(INCLUDE_INBOUND)
    if include is not None and include.strip() != "*" and port not in _port_list(include):
        return f"not in {INCLUDE_INBOUND}"
    return None


def client_tls_mode(rule: Resource, port: int | None) -> str | None:
    """A DestinationRule's TLS mode for a port (port-level first), or None when unset (auto mTLS)."""
    policy = _mapping(rule.spec.get("trafficPolicy"))
    settings = policy.get("portLevelSettings")
    for setting in settings if isinstance(settings, list) else []:
        setting = _mapping(setting)
        if port is not None and _mapping(setting.get("port")).get("number") == port:
            mode = _mapping(setting.get("tls")).get("mode")
            if mode:
                return str(mode).upper()
    mode = _mapping(policy.get("tls")).get("mode")
    return str(mode).upper() if mode else None


def _mapping(value: object) -> dict[str, object]:
    """``value`` when it is a mapping (a wrong type is the schema checks' finding), else ``{}``."""
    return value if isinstance(value, dict) else {}
