"""The description of one pod or service: pure, from a snapshot, its environment and analyze's findings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from meshctl.analysis.hosts import cluster_domain, to_fqdn
from meshctl.analysis.mtls import PeerAuthIndex, client_tls_mode, uncaptured_reason, workload_labels
from meshctl.analysis.selectors import label_selector_matches, labels_contain, pod_spec
from meshctl.conventions.hosts import hosts_overlap
from meshctl.describe.routes import routes_to
from meshctl.describe.shape import labels as label_map
from meshctl.describe.shape import obj, objs, strs
from meshctl.errors import InputError
from meshctl.inject import annotations as a
from meshctl.resource import Resource
from meshctl.snapshot import Snapshot

Obj = dict[str, Any]
#: What describe reads.
KINDS = frozenset({
    "Pod", "Deployment", "Service", "Namespace", "VirtualService", "DestinationRule", "Gateway",
    "PeerAuthentication", "AuthorizationPolicy", "Sidecar", "MutatingWebhookConfiguration",
})
PROXY = "istio-proxy"


@dataclass
class Description:
    """Everything describe found, as plain data."""

    kind: str
    name: str
    namespace: str
    services: list[Obj] = field(default_factory=list)
    workloads: list[str] = field(default_factory=list)
    routes: list[Obj] = field(default_factory=list)
    gateways: list[Obj] = field(default_factory=list)
    destination_rules: list[Obj] = field(default_factory=list)
    mtls: list[Obj] = field(default_factory=list)
    authorization: list[Obj] = field(default_factory=list)
    sidecar: Obj | None = None
    injection: Obj = field(default_factory=dict)
    findings: list[Obj] = field(default_factory=list)

    def as_dict(self) -> Obj:
        """JSON/YAML shape."""
        return {
            "kind": self.kind, "name": self.name, "namespace": self.namespace, "services": self.services,
            "workloads": self.workloads, "routes": self.routes, "gateways": self.gateways,
            "destinationRules": self.destination_rules, "mtls": self.mtls, "authorizationPolicies":
            self.authorization, "sidecar": self.sidecar, "injection": self.injection, "findings": self.findings,
        }


def _service_fqdn(svc: Resource, domain: str) -> str:
    return to_fqdn(svc.name, svc.namespace, domain)


def _selects(svc: Resource, labels: Mapping[str, str]) -> bool:
    selector = label_map(svc.spec.get("selector"))
    return bool(selector) and labels_contain(labels, selector)


def _destination_rules(snapshot: Snapshot, fqdn: str, labels: Mapping[str, str] | None, domain: str,
                       ports: Sequence[int]) -> list[Obj]:
    out = []
    for dr in sorted(snapshot.of_kind("DestinationRule"), key=lambda r: r.ref()):
        host = to_fqdn(str(dr.spec.get("host", "")), dr.namespace, domain)
        if not hosts_overlap(host, fqdn):
            continue
        subsets = []
        for subset in objs(dr.spec.get("subsets")):
            sel = label_map(subset.get("labels"))
            subsets.append({"name": str(subset.get("name", "")), "labels": dict(sel),
                            "trafficPolicy": subset.get("trafficPolicy"),
                            "selectsThisPod": labels is not None and labels_contain(labels, sel)})
        tls = {str(p): client_tls_mode(dr, p) for p in ports} if ports else {"*": client_tls_mode(dr, None)}
        out.append({"destinationRule": dr.ref(), "host": host, "trafficPolicy": dr.spec.get("trafficPolicy"),
                    "tlsMode": {p: (m or "unset (auto mTLS)") for p, m in tls.items()}, "subsets": subsets})
    return out


def _ports(pod: Resource) -> list[int]:
    return sorted({p["containerPort"] for c in objs(pod_spec(pod).get("containers"))
                   for p in objs(c.get("ports")) if isinstance(p.get("containerPort"), int)})


def _mtls(pod: Resource, index: PeerAuthIndex, injected: bool, ports: Sequence[int]) -> list[Obj]:
    rows = []
    for port in ports or [None]:  # type: ignore[list-item]
        mode = index.effective(pod.namespace, workload_labels(pod), port)
        why = uncaptured_reason(pod, port)
        shown = "NONE (no sidecar)" if not injected else ("NONE (not captured)" if why else mode.mode)
        rows.append({"port": port if port is not None else "*", "mode": shown,
                     "decidedBy": why or mode.source()})
    return rows


def _authorization(snapshot: Snapshot, namespace: str, labels: Mapping[str, str], root: str) -> list[Obj]:
    out = []
    for ap in sorted(snapshot.of_kind("AuthorizationPolicy"), key=lambda r: r.ref()):
        if ap.namespace not in (namespace, root) or ap.spec.get("targetRefs") or ap.spec.get("targetRef"):
            continue
        selector = obj(ap.spec.get("selector"))
        if selector and not label_selector_matches(selector, labels):
            continue
        scope = "workload" if selector else ("mesh" if ap.namespace == root and namespace != root else "namespace")
        out.append({"authorizationPolicy": ap.ref(), "action": str(ap.spec.get("action") or "ALLOW"),
                    "scope": scope, "rules": len(objs(ap.spec.get("rules")))})
    return out


def _sidecar(snapshot: Snapshot, namespace: str, labels: Mapping[str, str], root: str) -> Obj | None:
    local = [s for s in snapshot.of_kind("Sidecar") if s.namespace == namespace]
    for sc in sorted(local, key=lambda r: r.ref()):
        wanted = label_map(obj(sc.spec.get("workloadSelector")).get("labels"))
        if wanted and labels_contain(labels, wanted):
            return {"sidecar": sc.ref(), "scope": "workload", "egressHosts": _egress(sc)}
    for scope, pool in (("namespace", local), ("mesh", [s for s in snapshot.of_kind("Sidecar")
                                                        if s.namespace == root])):
        for sc in sorted(pool, key=lambda r: r.ref()):
            if not obj(sc.spec.get("workloadSelector")).get("labels"):
                return {"sidecar": sc.ref(), "scope": scope, "egressHosts": _egress(sc)}
    return None


def _egress(sc: Resource) -> list[str]:
    return [h for e in objs(sc.spec.get("egress")) for h in strs(e.get("hosts"))]


def injection(pod: Resource, ns_labels: Mapping[str, str]) -> Obj:
    """Whether the pod runs a sidecar (``injected``), whether its labels ask for one (``wanted``), and the
    label or annotation that decides it (``reason``)."""
    spec = pod.spec
    containers = [c.get("name") for c in spec.get("containers") or []]
    containers += [c.get("name") for c in spec.get("initContainers") or [] if c.get("restartPolicy") == "Always"]
    has_proxy = PROXY in containers
    for where, source in (("pod label", pod.labels), ("pod annotation", pod.annotations)):
        if a.INJECT in source:
            return {"injected": has_proxy, "wanted": str(source[a.INJECT]) == "true",
                    "reason": f"{where} {a.INJECT}={source[a.INJECT]}"}
    if ns_labels.get(a.INJECTION_LABEL):
        return {"injected": has_proxy, "wanted": ns_labels[a.INJECTION_LABEL] == "enabled",
                "reason": f"namespace label {a.INJECTION_LABEL}={ns_labels[a.INJECTION_LABEL]}"}
    if ns_labels.get(a.REV):
        return {"injected": has_proxy, "wanted": True, "reason": f"namespace label {a.REV}={ns_labels[a.REV]}"}
    if has_proxy:
        return {"injected": True, "wanted": False, "reason": f"the pod has an {PROXY} container (injected "
                "manually or by a webhook without namespace labels)"}
    return {"injected": False, "wanted": False, "reason": f"no {a.INJECT} on the pod and no "
            f"{a.INJECTION_LABEL} or {a.REV} label on its namespace"}


def _gateways(snapshot: Snapshot, routes: Sequence[Obj]) -> list[Obj]:
    names = sorted({g for r in routes for g in r["gateways"] if g != "mesh"})
    out = []
    for ref in names:
        ns, _, name = ref.partition("/")
        gw = snapshot.get("Gateway", ns, name)
        servers = [{"port": obj(s.get("port")).get("number"), "protocol": obj(s.get("port")).get("protocol"),
                    "hosts": strs(s.get("hosts")), "tls": obj(s.get("tls")).get("mode")}
                   for s in (objs(gw.spec.get("servers")) if gw else [])]
        out.append({"gateway": ref, "found": gw is not None, "selector": label_map(gw.spec.get("selector"))
                    if gw else {}, "servers": servers})
    return out


def _findings(messages: Sequence[Any], refs: set[tuple[str, str | None, str]]) -> list[Obj]:
    out: list[Obj] = []
    for m in messages:
        if (m.kind, m.namespace, m.name) not in refs:
            continue
        found = {"code": m.code, "level": str(getattr(m.level, "name", m.level)).title(),
                 "resource": f"{m.kind} {m.namespace}/{m.name}" if m.namespace else f"{m.kind} {m.name}",
                 "message": m.text}
        if found not in out:
            out.append(found)
    return out


def _find_pod(snapshot: Snapshot, name: str, namespace: str) -> Resource:
    pod = snapshot.get("Pod", namespace, name)
    if pod is None:
        for deploy in snapshot.of_kind("Deployment"):  # offline manifests have templates, not pods
            if deploy.namespace == namespace and deploy.name == name:
                return deploy
        raise InputError(f"pod {namespace}/{name} not found in the sources read")
    return pod


def describe(snapshot: Snapshot, mesh_config: Mapping[str, Any], istio_namespace: str, kind: str, name: str,
             namespace: str, messages: Sequence[Any] = ()) -> Description:
    """The description of pod (or, offline, Deployment) or service ``namespace/name``."""
    domain = cluster_domain(dict(mesh_config))
    root = str(mesh_config.get("rootNamespace") or istio_namespace)
    namespaces = {n.name: dict(n.labels) for n in snapshot.of_kind("Namespace")}
    index = PeerAuthIndex(snapshot.of_kind("PeerAuthentication"), root)
    desc = Description(kind, name, namespace)
    if kind == "pod":
        subjects = [_find_pod(snapshot, name, namespace)]
        services = [s for s in snapshot.of_kind("Service") if s.namespace == namespace
                    and _selects(s, workload_labels(subjects[0]))]
    else:
        svc = snapshot.get("Service", namespace, name)
        if svc is None:
            raise InputError(f"service {namespace}/{name} not found in the sources read")
        services = [svc]
        pods = [p for p in snapshot.of_kind("Pod") if p.namespace == namespace and _selects(svc, p.labels)]
        subjects = pods or [d for d in snapshot.of_kind("Deployment")
                            if d.namespace == namespace and _selects(svc, workload_labels(d))]
    desc.workloads = [f"{s.kind}/{s.name}" for s in subjects]
    refs: set[tuple[str, str | None, str]] = {(s.kind, s.namespace, s.name) for s in [*subjects, *services]}
    labels = workload_labels(subjects[0]) if kind == "pod" and subjects else None
    for svc in sorted(services, key=lambda r: r.ref()):
        fqdn = _service_fqdn(svc, domain)
        ports = [p["port"] for p in objs(svc.spec.get("ports")) if isinstance(p.get("port"), int)]
        desc.services.append({"service": svc.ref(), "host": fqdn, "ports": [
            {"name": p.get("name"), "port": p.get("port"), "targetPort": p.get("targetPort", p.get("port"))}
            for p in objs(svc.spec.get("ports"))]})
        for route in routes_to(snapshot.of_kind("VirtualService"), fqdn, domain):
            if route not in desc.routes:
                desc.routes.append(route)
        for dr in _destination_rules(snapshot, fqdn, labels, domain, ports):
            if dr not in desc.destination_rules:
                desc.destination_rules.append(dr)
    desc.gateways = _gateways(snapshot, desc.routes)
    for route in desc.routes:
        ns, _, vs_name = route["virtualService"].partition("/")
        refs.add(("VirtualService", ns, vs_name))
    for dr in desc.destination_rules:
        ns, _, dr_name = dr["destinationRule"].partition("/")
        refs.add(("DestinationRule", ns, dr_name))
    if subjects:
        first = subjects[0]
        inj = injection(first, namespaces.get(namespace, {})) if first.kind == "Pod" else \
            _template_injection(first, namespaces.get(namespace, {}))
        desc.injection = inj
        target_ports = {p.get("targetPort", p.get("port")) for s in services for p in objs(s.spec.get("ports"))}
        ports = sorted(set(_ports(first)) | {p for p in target_ports if isinstance(p, int)})
        desc.mtls = _mtls(first, index, bool(inj["injected"]), ports)
        desc.authorization = _authorization(snapshot, namespace, workload_labels(first), root)
        desc.sidecar = _sidecar(snapshot, namespace, workload_labels(first), root)
        for ap in desc.authorization:
            ns, _, ap_name = ap["authorizationPolicy"].partition("/")
            refs.add(("AuthorizationPolicy", ns, ap_name))
    for pa in snapshot.of_kind("PeerAuthentication"):
        if pa.namespace in (namespace, root):
            refs.add(("PeerAuthentication", pa.namespace, pa.name))
    refs.add(("Namespace", None, namespace))
    desc.findings = _findings(messages, refs)
    return desc


def _template_injection(workload: Resource, ns_labels: Mapping[str, str]) -> Obj:
    """A workload template's injection: its pods will get a sidecar when the labels ask for one."""
    template = workload.spec.get("template") or {}
    meta = template.get("metadata") or {}
    as_pod = Resource.from_dict({"apiVersion": "v1", "kind": "Pod", "metadata": {
        "name": workload.name, "namespace": workload.namespace, "labels": meta.get("labels") or {},
        "annotations": meta.get("annotations") or {}}, "spec": template.get("spec") or {}})
    verdict = injection(as_pod, ns_labels)
    if verdict["injected"]:
        return verdict
    wanted = bool(verdict["wanted"])
    return {**verdict, "injected": wanted,
            "reason": f"{verdict['reason']} (pods of this template {'will' if wanted else 'will not'} be injected)"}
