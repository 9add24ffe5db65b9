"""Indexes the mTLS analyzers share: services by host, workloads behind services."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from meshctl.analysis.context import Context
from meshctl.analysis.hosts import cluster_domain, resource_name_for_host
from meshctl.analysis.mtls import WORKLOAD_KINDS, PeerAuthIndex, workload_labels
from meshctl.analysis.selectors import labels_contain
from meshctl.resource import Resource

#: What an analyzer that walks DestinationRules to the workloads behind their services reads.
DR_BACKEND_INPUTS = ("DestinationRule", "PeerAuthentication", "Service", "Namespace", *WORKLOAD_KINDS)


@dataclass(frozen=True)
class Backend:
    """A workload behind a service port."""

    service: Resource
    port: int
    target_port: object
    workload: Resource


class MtlsView:
    """PeerAuthentications, namespaces and workloads of one analysis, indexed once."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.domain = cluster_domain(ctx.mesh_config)
        root = str(ctx.mesh_config.get("rootNamespace") or ctx.env.istio_namespace)
        self.policies = PeerAuthIndex(ctx.resources.of_kind("PeerAuthentication"), root)
        self.namespaces = {n.name: dict(n.labels) for n in ctx.resources.of_kind("Namespace")}
        self._rule_backends: list[tuple[Resource, Backend]] | None = None
        self._by_label: dict[tuple[str | None, str, str], list[Resource]] = defaultdict(list)
        for kind in WORKLOAD_KINDS:
            for res in ctx.resources.of_kind(kind):
                for key, value in workload_labels(res).items():
                    self._by_label[(res.namespace, key, str(value))].append(res)

    @classmethod
    def of(cls, ctx: Context) -> MtlsView:
        """The view of ``ctx``'s snapshot, built once for every analyzer reading the same inputs."""
        view: MtlsView = ctx.resources.shared("MtlsView", ctx.env, lambda: cls(ctx))
        return view

    def service_for_host(self, host: str, namespace: str | None) -> Resource | None:
        """The Service a DestinationRule host names, if it is a Kubernetes service."""
        ns, name = resource_name_for_host(host, namespace, self.domain)
        return self.ctx.resources.get("Service", ns or None, name)

    def selected(self, service: Resource) -> list[Resource]:
        """Workloads whose (template) labels match the service selector; pods win over templates."""
        selector = service.spec.get("selector") or {}
        if not selector:
            return []
        key, value = min(selector.items(), key=lambda kv: len(self._by_label[(service.namespace, kv[0], str(kv[1]))]))
        candidates = self._by_label.get((service.namespace, key, str(value)), [])
        found = [w for w in candidates if labels_contain(workload_labels(w), selector)]
        pods = [w for w in found if w.kind == "Pod"]
        return pods or found

    def backends(self, service: Resource) -> Iterator[Backend]:
        """Every (port, workload) pair behind a service."""
        workloads = self.selected(service)
        for port in service.spec.get("ports") or []:
            number = port.get("port")
            if not isinstance(number, int):
                continue
            for workload in workloads:
                yield Backend(service, number, port.get("targetPort", number), workload)

    def rule_backends(self) -> Iterator[tuple[Resource, Backend]]:
        """Every (DestinationRule, backend) pair: each rule's Kubernetes service, walked to its workloads."""
        if self._rule_backends is None:
            self._rule_backends = list(self._walk_rules())
        return iter(self._rule_backends)

    def _walk_rules(self) -> Iterator[tuple[Resource, Backend]]:
        for rule in self.ctx.resources.of_kind("DestinationRule"):
            service = self.service_for_host(str(rule.spec.get("host", "")), rule.namespace)
            if service is None:
                continue
            for backend in self.backends(service):
                yield rule, backend
