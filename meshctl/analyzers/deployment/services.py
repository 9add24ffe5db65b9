"""deployment.MultiServiceAnalyzer: Services selecting one Deployment must agree on ports."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register
from meshctl.analysis.selectors import (
    deployment_in_mesh,
    labels_contain,
    namespace_labels,
    template_labels,
)
from meshctl.analyzers.ambient.enrolment import template_enrolled
from meshctl.resource import Resource

MANAGED_LABEL = "gateway.istio.io/managed"
WAYPOINT_CONTROLLER = "istio.io-mesh-controller"


def index_by_selector_pair(services: list[Resource]
                           ) -> dict[tuple[str | None, str, str], list[tuple[int, Resource]]]:
    """Services keyed by (namespace, one selector pair): a selector is a subset of the labels it
    selects, so any one of its pairs finds every candidate without scanning all services."""
    out: dict[tuple[str | None, str, str], list[tuple[int, Resource]]] = defaultdict(list)
    for position, svc in enumerate(services):
        selector = svc.spec.get("selector") or {}
        if selector:
            key = min(selector)
            out[(svc.namespace, key, str(selector[key]))].append((position, svc))
    return out


def matching_services(deployment: Resource,
                      index: dict[tuple[str | None, str, str], list[tuple[int, Resource]]]) -> list[Resource]:
    """Services with a non-empty selector that selects the deployment's pod template, in input order."""
    labels = template_labels(deployment)
    found = {pos: s for k, v in labels.items() for pos, s in index.get((deployment.namespace, k, str(v)), [])
             if labels_contain(labels, s.spec["selector"])}
    return [found[pos] for pos in sorted(found)]


def ports_of(svc: Resource) -> list[dict[str, Any]]:
    """The Service's port entries."""
    return [p for p in svc.spec.get("ports") or [] if isinstance(p, dict)]


def protocols_by_port(services: list[Resource]) -> dict[int, dict[str, list[str]]]:
    """port -> protocol (default TCP) -> service names."""
    out: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for svc in services:
        for port in ports_of(svc):
            out[port.get("port", 0)][str(port.get("protocol") or "TCP")].append(svc.ref())
    return out


def ports_by_target(services: list[Resource]) -> dict[str, dict[int, str]]:
    """targetPort (defaulting to port) -> port -> service name."""
    out: dict[str, dict[int, str]] = defaultdict(dict)
    for svc in services:
        for port in ports_of(svc):
            target = str(port.get("targetPort") or "")
            if target in ("", "0"):
                target = str(port.get("port", 0))
            out[target][port.get("port", 0)] = svc.ref()
    return out


@register
class MultiServiceAnalyzer(Analyzer):
    """Checks that Services selecting the same mesh Deployment agree on ports and protocols."""

    name = "deployment.MultiServiceAnalyzer"
    inputs = ("Service", "Deployment", "Namespace")
    codes = ("IST0116", "IST0137")

    def analyze(self, ctx: Context) -> None:
        """Compare, per mesh Deployment, the ports of every Service that selects it."""
        namespace_objects = {ns.name: ns for ns in ctx.resources.of_kind("Namespace")}
        namespaces = namespace_labels(namespace_objects.values())
        services = index_by_selector_pair(ctx.resources.of_kind("Service"))
        for dep in ctx.resources.of_kind("Deployment"):
            if dep.labels.get(MANAGED_LABEL) == WAYPOINT_CONTROLLER:
                continue
            if not deployment_in_mesh(dep, namespaces) and \
                    not template_enrolled(dep, namespace_objects.get(dep.namespace or "")):
                continue  # in the mesh with a sidecar, or through ztunnel in ambient mode
            selected = matching_services(dep, services)
            self._check_protocols(ctx, dep, selected)
            self._check_target_ports(ctx, dep, selected)

    @staticmethod
    def _check_protocols(ctx: Context, dep: Resource, selected: list[Resource]) -> None:
        for port, by_protocol in protocols_by_port(selected).items():
            if len(by_protocol) > 1:
                names = sorted(n for group in by_protocol.values() for n in group)
                ctx.report("IST0116", dep, path="metadata.name", deployment=dep.name,
                           port=port, services=", ".join(names))

    @staticmethod
    def _check_target_ports(ctx: Context, dep: Resource, selected: list[Resource]) -> None:
        for target, by_port in ports_by_target(selected).items():
            if len(by_port) > 1:
                ctx.report("IST0137", dep, path="metadata.name", deployment=dep.name,
                           target_port=target, services=", ".join(sorted(by_port.values())),
                           ports=", ".join(str(p) for p in sorted(by_port)))
