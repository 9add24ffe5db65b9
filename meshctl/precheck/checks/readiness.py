"""Cluster readiness: Ready nodes, room for the profile, Pod Security, CNI plugin, clocks."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from meshctl.analysis.message import Message
from meshctl.envoy.versions import parse_time
from meshctl.precheck import profiles
from meshctl.precheck.model import PrecheckRequest, PrecheckSnapshot
from meshctl.precheck.permissions import CNI_NAMESPACES
from meshctl.precheck.registry import check, finding
from meshctl.resource import Resource

ENFORCE_LABEL = "pod-security.kubernetes.io/enforce"
MAX_SKEW = timedelta(minutes=1)
HEARTBEAT_PERIOD = timedelta(minutes=5)
"""kubelet refreshes the Ready condition's heartbeat at least this often (nodeStatusReportFrequency)."""
CNI_PLUGINS = {"calico-node": "Calico", "cilium": "Cilium", "kube-flannel-ds": "Flannel",
               "kube-flannel": "Flannel", "canal": "Canal", "weave-net": "Weave Net",
               "aws-node": "Amazon VPC CNI", "kindnet": "kindnet", "antrea-agent": "Antrea",
               "kube-router": "kube-router", "ovnkube-node": "OVN-Kubernetes", "azure-cns": "Azure CNI",
               "netd": "GKE netd"}
CNI_ADVICE = {"Cilium": "set cni.exclusive=false in Cilium so that istio-cni stays in the CNI chain",
              "GKE netd": "set values.cni.cniBinDir=/home/kubernetes/bin for istio-cni on GKE"}


def _ready_condition(node: Resource) -> dict[str, object]:
    for cond in (node.body.get("status") or {}).get("conditions") or []:
        if cond.get("type") == "Ready":
            return dict(cond)
    return {}


def is_ready(node: Resource) -> bool:
    """Ready condition True."""
    return _ready_condition(node).get("status") == "True"


def schedulable(nodes: tuple[Resource, ...]) -> list[Resource]:
    """Ready nodes that are not cordoned."""
    return [n for n in nodes if is_ready(n) and not n.spec.get("unschedulable")]


@check("nodes-ready", "cluster-readiness", "At least one node is Ready, and every node is.",
       needs=("Node",), codes=("MSH0812", "MSH0813"))
def nodes_ready(snap: PrecheckSnapshot, req: PrecheckRequest) -> Iterator[Message]:
    """MSH0813 when no node is Ready and schedulable, MSH0812 for each node that is not Ready."""
    nodes = snap.of_kind("Node")
    if not schedulable(nodes):
        yield finding("MSH0813")
    for node in nodes:
        if not is_ready(node):
            cond = _ready_condition(node)
            reason = str(cond.get("reason") or cond.get("message") or "no Ready condition")
            yield finding("MSH0812", node, node=node.name, reason=reason)


def _allocatable(node: Resource) -> tuple[int, int]:
    alloc = (node.body.get("status") or {}).get("allocatable") or {}
    return profiles.millicores(alloc.get("cpu", 0)), profiles.memory_bytes(alloc.get("memory", 0))


def _resource_findings(nodes: list[Resource], profile: str) -> Iterator[Message]:
    need = profiles.REQUIREMENTS.get(profile, profiles.REQUIREMENTS["default"])
    sizes = [_allocatable(n) for n in nodes]
    cpu, mem = sum(c for c, _ in sizes), sum(m for _, m in sizes)
    scope = f"{len(nodes)} schedulable node(s)"
    if cpu < need.cpu:
        yield finding("MSH0814", scope=scope, have=profiles.show_cpu(cpu), quantity="CPU",
                      profile=profile, need=profiles.show_cpu(need.cpu))
    elif max(c for c, _ in sizes) < need.largest_cpu:
        yield finding("MSH0814", scope="The largest node", have=profiles.show_cpu(max(c for c, _ in sizes)),
                      quantity="CPU", profile=profile, need=profiles.show_cpu(need.largest_cpu) + " for istiod")
    if mem < need.memory:
        yield finding("MSH0814", scope=scope, have=profiles.show_memory(mem), quantity="memory",
                      profile=profile, need=profiles.show_memory(need.memory))
    elif max(m for _, m in sizes) < need.largest_memory:
        yield finding("MSH0814", scope="The largest node", have=profiles.show_memory(max(m for _, m in sizes)),
                      quantity="memory", profile=profile,
                      need=profiles.show_memory(need.largest_memory) + " for istiod")
    for node, (c, m) in zip(nodes, sizes, strict=True):
        if c < need.node_cpu or m < need.node_memory:
            yield finding("MSH0814", node, scope=f"Node {node.name}",
                          have=f"{profiles.show_cpu(c)} / {profiles.show_memory(m)}", quantity="CPU / memory",
                          profile=profile, need=f"{profiles.show_cpu(need.node_cpu)} / "
                          f"{profiles.show_memory(need.node_memory)} on every node for {need.per_node}")


@check("node-resources", "cluster-readiness",
       "Ready nodes have enough allocatable CPU and memory for the profile's control plane.",
       needs=("Node",), codes=("MSH0814",))
def node_resources(snap: PrecheckSnapshot, req: PrecheckRequest) -> Iterator[Message]:
    """MSH0814 when the profile's requests (see profiles.py) exceed what Ready nodes offer."""
    nodes = schedulable(snap.of_kind("Node"))
    if nodes:
        yield from _resource_findings(nodes, req.profile)


@check("pod-security", "cluster-readiness",
       "The Istio namespace's Pod Security level admits the pods the profile runs there.",
       needs=("Namespace",), codes=("MSH0815",))
def pod_security(snap: PrecheckSnapshot, req: PrecheckRequest) -> Iterator[Message]:
    """MSH0815 when a profile with privileged pods meets an enforced baseline/restricted level."""
    components = profiles.PRIVILEGED_COMPONENTS.get(req.profile)
    ns = snap.namespace(req.istio_namespace)
    if components is None or ns is None:
        return
    level = ns.labels.get(ENFORCE_LABEL)
    if level in ("baseline", "restricted"):
        yield finding("MSH0815", ns, namespace=ns.name, level=level, profile=req.profile,
                      components=components)


@check("cni-plugin", "cluster-readiness",
       "Profiles that chain istio-cni (ambient) find a primary CNI plugin it can chain onto.",
       needs=("DaemonSet",), codes=("MSH0816", "MSH0817"))
def cni_plugin(snap: PrecheckSnapshot, req: PrecheckRequest) -> Iterator[Message]:
    """MSH0816 when no known CNI plugin runs, MSH0817 for plugins that need a setting."""
    if req.profile not in profiles.NEEDS_CNI:
        return
    found = sorted({CNI_PLUGINS[d.name] for d in snap.of_kind("DaemonSet") if d.name in CNI_PLUGINS})
    if not found:
        yield finding("MSH0816", profile=req.profile, known=", ".join(sorted(set(CNI_PLUGINS.values()))),
                      namespaces=", ".join(CNI_NAMESPACES))
    for plugin in found:
        if plugin in CNI_ADVICE:
            yield finding("MSH0817", plugin=plugin, advice=CNI_ADVICE[plugin])


def _parse_time(text: object) -> datetime | None:
    return parse_time(str(text) if text is not None else None)


def _show(delta: timedelta) -> str:
    seconds = int(abs(delta.total_seconds()))
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    return f"{seconds // 60}m{seconds % 60:02d}s"


def _node_skew(node: Resource, now: datetime) -> timedelta | None:
    """How far a node's clock is off, judged from its last heartbeat; None when within bounds."""
    beat = _parse_time(_ready_condition(node).get("lastHeartbeatTime"))
    if beat is None:
        return None
    ahead = beat - now
    if ahead > MAX_SKEW:
        return ahead
    behind = now - beat
    return -behind if behind > MAX_SKEW + HEARTBEAT_PERIOD and is_ready(node) else None


@check("clock-skew", "cluster-readiness",
       "The API server's and nodes' clocks are within one minute of this machine's.",
       needs=("Node",), codes=("MSH0818",))
def clock_skew(snap: PrecheckSnapshot, req: PrecheckRequest) -> Iterator[Message]:
    """MSH0818 for the API server (Date header) and each node (Ready heartbeat) over a minute off."""
    if snap.server_date is not None and abs(snap.server_date - snap.now) > MAX_SKEW:
        yield finding("MSH0818", source="the API server", skew=_show(snap.server_date - snap.now))
    for node in snap.of_kind("Node"):
        skew = _node_skew(node, snap.now)
        if skew is not None:
            yield finding("MSH0818", node, source=f"node {node.name}", skew=_show(skew))
