"""destinationrule.SubsetSelectPodAnalyzer: a DestinationRule host must exist and subsets select pods."""

from __future__ import annotations

from typing import Any

from meshctl.analysis.context import Context
from meshctl.analysis.hosts import HostIndex, cluster_domain
from meshctl.analysis.registry import Analyzer, register
from meshctl.analysis.selectors import LabelIndex
from meshctl.resource import Origin, Resource

REGION = "topology.kubernetes.io/region"
ZONE = "topology.kubernetes.io/zone"
SUBZONE = "topology.istio.io/subzone"
HOSTNAME = "kubernetes.io/hostname"


def with_node_topology(pod: Resource, nodes: dict[str, dict[str, str]]) -> Resource:
    """The pod with the topology labels Istio adds to its endpoints from the pod's node."""
    node_name = str(pod.spec.get("nodeName") or "")
    node = nodes.get(node_name) if node_name else None
    if node is None:
        return pod
    labels = dict(pod.labels)
    labels.update({k: node[k] for k in (REGION, ZONE, SUBZONE) if k in node})
    labels[HOSTNAME] = node_name
    body: dict[str, Any] = {**pod.body, "metadata": {**pod.metadata, "labels": labels}}
    return Resource.from_dict(body, pod.origin or Origin())


def _host_workloads(host: Resource, workload_labels: dict[str, str]) -> tuple[dict[str, Any], str | None]:
    """The labels every pod of a host carries, and the namespace its pods are in (None: any).

    A Service's pods are the ones its selector picks in its own namespace, so a subset selects
    the pods carrying the Service's selector *and* the subset's labels there; a ServiceEntry's are
    those of its workloadSelector in its namespace."""
    if host.key == "Service":
        return dict(host.spec.get("selector") or {}), host.namespace
    if workload_labels:
        return dict(workload_labels), host.namespace
    return {}, None


@register
class SubsetSelectPodAnalyzer(Analyzer):
    """Checks if pods are selected by subsets in destination rules."""

    name = "destinationrule.SubsetSelectPodAnalyzer"
    inputs = ("DestinationRule", "Pod", "Service", "ServiceEntry", "Node")
    codes = ("IST0174", "IST0173")

    def analyze(self, ctx: Context) -> None:
        """Report unknown hosts, and subsets whose labels (with the host's selector) match no pod."""
        res = ctx.resources
        index = HostIndex(res.of_kind("ServiceEntry"), res.of_kind("Service"),
                          cluster_domain(ctx.mesh_config))
        nodes = {n.name: n.labels for n in res.of_kind("Node")}
        pods: LabelIndex | None = None
        selects: dict[tuple[str | None, frozenset[tuple[str, str]]], bool] = {}
        for dr in res.of_kind("DestinationRule"):
            host = str(dr.spec.get("host") or "")
            entry = index.lookup(dr.namespace, [str(e) for e in dr.spec.get("exportTo") or []], host)
            if entry is None:
                ctx.report("IST0174", dr, path="spec.host", host=host)
                continue
            workloads: tuple[dict[str, Any], str | None] | None = None
            for i, subset in enumerate(dr.spec.get("subsets") or []):
                if not isinstance(subset, dict):
                    continue
                pods = pods or LabelIndex(with_node_topology(p, nodes) for p in res.of_kind("Pod"))
                workloads = workloads or _host_workloads(entry.resource, entry.workload_labels)
                base, namespace = workloads
                selector = {**base, **(subset.get("labels") or {})}
                key = (namespace, frozenset((str(k), str(v)) for k, v in selector.items()))
                if key not in selects:
                    found = pods.select(selector) if namespace is None else pods.select(selector, namespace)
                    selects[key] = bool(found)
                if not selects[key]:
                    ctx.report("IST0173", dr, path=f"spec.subsets[{i}]",
                               subset=str(subset.get("name") or ""), host=host)
