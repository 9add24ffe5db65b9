"""Who is enrolled in ambient mode, and which waypoint serves what (shared by the ambient analyzers).

Facts used (Istio ambient mode):

- ``istio.io/dataplane-mode=ambient`` on a Namespace enrols its pods; on a pod it enrols that pod;
  ``istio.io/dataplane-mode=none`` on a pod opts it out. A pod with a sidecar is never captured by ztunnel.
- A waypoint is a Gateway API Gateway of class ``istio-waypoint``; ``istio.io/waypoint-for`` says what
  traffic it serves: ``service`` (the default), ``workload``, ``all`` or ``none``.
- ``istio.io/use-waypoint`` on a Namespace, Service, ServiceEntry, Pod or WorkloadEntry names the waypoint
  (``none`` opts out); ``istio.io/use-waypoint-namespace`` names its namespace when it is elsewhere. A
  label on the object wins over its namespace's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from meshctl.analysis.selectors import (
    INJECTION_LABEL,
    PROXY_CONTAINER,
    REVISION_LABEL,
    LabelIndex,
    label_selector_matches,
    pod_inject_setting,
)
from meshctl.conventions import labels as names
from meshctl.resource import Resource

DATAPLANE_MODE = names.DATAPLANE_MODE
USE_WAYPOINT = names.USE_WAYPOINT
USE_WAYPOINT_NAMESPACE = names.USE_WAYPOINT_NAMESPACE
WAYPOINT_FOR = names.WAYPOINT_FOR
REDIRECTION = names.AMBIENT_REDIRECTION
WAYPOINT_CLASS = "istio-waypoint"
GATEWAY_POD_LABELS = ("gateway.networking.k8s.io/gateway-name", "gateway.istio.io/managed", "istio.io/gateway-name")
#: What traffic a waypoint serves for each ``istio.io/waypoint-for`` value.
SERVES = {"service": {"service"}, "workload": {"workload"}, "all": {"service", "workload"}, "none": set()}


def has_sidecar(pod: Resource) -> bool:
    """Whether a Pod runs an ``istio-proxy`` container (or native sidecar) with an image."""
    containers = [*(pod.spec.get("containers") or []), *(pod.spec.get("initContainers") or [])]
    return any(isinstance(c, dict) and c.get("name") == PROXY_CONTAINER and c.get("image") for c in containers)


def is_gateway_pod(pod: Resource) -> bool:
    """Whether a Pod is a gateway or waypoint proxy (its ``istio-proxy`` is the workload, not a sidecar)."""
    if any(key in pod.labels for key in GATEWAY_POD_LABELS):
        return True
    if "gateway" in str(pod.annotations.get("inject.istio.io/templates", "")):
        return True
    for container in pod.spec.get("containers") or []:
        if isinstance(container, dict) and container.get("name") == PROXY_CONTAINER:
            args = [str(a) for a in container.get("args") or []]
            if "router" in args or "waypoint" in args:
                return True
    return False


def namespace_labelled_ambient(namespace: Resource | None) -> bool:
    """Whether a Namespace carries ``istio.io/dataplane-mode=ambient``."""
    return namespace is not None and namespace.labels.get(DATAPLANE_MODE) == "ambient"


def pod_enrolled(pod: Resource, namespace: Resource | None) -> bool:
    """Whether ztunnel captures a Pod: enrolled by its own or its namespace's label, and without a sidecar
    (in a namespace also labelled for injection, only pods that opt out of injection)."""
    if has_sidecar(pod) or pod.spec.get("hostNetwork"):
        return False
    if pod.annotations.get(REDIRECTION) == "enabled":
        return True
    mode = pod.labels.get(DATAPLANE_MODE)
    if mode is not None:
        return mode == "ambient"
    if not namespace_labelled_ambient(namespace) or namespace is None:
        return False
    injecting = namespace.labels.get(INJECTION_LABEL) == "enabled" or REVISION_LABEL in namespace.labels
    return not injecting or pod_inject_setting(pod) == "false"


def template_enrolled(workload: Resource, namespace: Resource | None) -> bool:
    """Whether a Deployment-like workload's pods will be captured by ztunnel (its pod template as a pod)."""
    template = workload.spec.get("template") or {}
    pod = Resource.from_dict({"apiVersion": "v1", "kind": "Pod", "metadata": {
        **(template.get("metadata") or {}), "namespace": workload.namespace}, "spec": template.get("spec") or {}})
    return pod_enrolled(pod, namespace)


def is_waypoint(gateway: Resource) -> bool:
    """Whether a Gateway API Gateway is an Istio waypoint."""
    return gateway.spec.get("gatewayClassName") == WAYPOINT_CLASS


def waypoint_serves(gateway: Resource) -> set[str]:
    """The traffic types (``service``, ``workload``) a waypoint serves."""
    return SERVES.get(str(gateway.labels.get(WAYPOINT_FOR, "service")), set())


@dataclass(frozen=True)
class WaypointUse:
    """A ``istio.io/use-waypoint`` binding: which waypoint, and where the label was set."""

    name: str
    namespace: str
    labelled: Resource

    @property
    def ref(self) -> str:
        """``namespace/name`` of the waypoint."""
        return f"{self.namespace}/{self.name}"


def waypoint_use(res: Resource, namespace: Resource | None) -> WaypointUse | None:
    """The waypoint an object uses: its own label first, then its namespace's; None when none or opted out."""
    for holder in (res, namespace):
        if holder is None or USE_WAYPOINT not in holder.labels:
            continue
        name = str(holder.labels[USE_WAYPOINT])
        if name in ("", "none"):
            return None
        ns = str(holder.labels.get(USE_WAYPOINT_NAMESPACE) or
                 (holder.name if holder.key == "Namespace" else holder.namespace) or "")
        return WaypointUse(name, ns, holder)
    return None


class Mesh:
    """Namespaces, gateways and pods indexed once, for ambient questions."""

    def __init__(self, namespaces: Iterable[Resource], gateways: Iterable[Resource],
                 pods: Iterable[Resource] = ()) -> None:
        self.namespaces = {ns.name: ns for ns in namespaces}
        self.gateways = {(gw.namespace or "", gw.name): gw for gw in gateways}
        self.pods: dict[str, list[Resource]] = {}
        for pod in pods:
            self.pods.setdefault(pod.namespace or "", []).append(pod)
        self._indexes: dict[str, LabelIndex] = {}
        self._in_ambient: dict[tuple[str, str, str], bool] = {}

    def any_ambient(self) -> bool:
        """Whether anything is enrolled in ambient mode at all (a quick exit for sidecar-only meshes)."""
        return any(namespace_labelled_ambient(ns) for ns in self.namespaces.values()) or any(
            pod_enrolled(p, None) for group in self.pods.values() for p in group)

    def namespace(self, name: str | None) -> Resource | None:
        """A Namespace by name."""
        return self.namespaces.get(name or "")

    def waypoint(self, use: WaypointUse | None) -> Resource | None:
        """The Gateway a binding names, if it exists."""
        return self.gateways.get((use.namespace, use.name)) if use else None

    def selected_pods(self, namespace: str | None, selector: Mapping[str, Any] | None) -> list[Resource]:
        """Pods of a namespace matching a LabelSelector (None selects all); matchLabels through an index."""
        pods = self.pods.get(namespace or "", [])
        if selector is None or not pods:
            return list(pods)
        if set(selector) <= {"matchLabels"}:
            index = self._indexes.get(namespace or "")
            if index is None:
                index = self._indexes[namespace or ""] = LabelIndex(pods)
            return index.select(selector.get("matchLabels"))
        return [p for p in pods if label_selector_matches(selector, p.labels)]

    def enrolled(self, pods: Iterable[Resource]) -> list[Resource]:
        """The pods that ztunnel captures."""
        return [p for p in pods if pod_enrolled(p, self.namespace(p.namespace))]

    def service_in_ambient(self, service: Resource) -> bool:
        """Whether a Service's traffic goes through ztunnel: its pods are enrolled, or (no pods known)
        its namespace is labelled for ambient."""
        key = (service.key, service.namespace or "", service.name)
        if key not in self._in_ambient:
            selector = service.spec.get("selector")
            pods = self.selected_pods(service.namespace, {"matchLabels": selector}) \
                if isinstance(selector, dict) and selector else []
            self._in_ambient[key] = bool(self.enrolled(pods)) if pods else \
                namespace_labelled_ambient(self.namespace(service.namespace))
        return self._in_ambient[key]

    def service_waypoint(self, service: Resource) -> Resource | None:
        """The existing waypoint that serves a Service's traffic, if any."""
        gateway = self.waypoint(waypoint_use(service, self.namespace(service.namespace)))
        if gateway is None or (is_waypoint(gateway) and "service" not in waypoint_serves(gateway)):
            return None
        return gateway

    def workload_waypoint(self, pod: Resource) -> Resource | None:
        """The existing waypoint that serves traffic addressed to a pod directly, if any."""
        gateway = self.waypoint(waypoint_use(pod, self.namespace(pod.namespace)))
        if gateway is None or (is_waypoint(gateway) and "workload" not in waypoint_serves(gateway)):
            return None
        return gateway
