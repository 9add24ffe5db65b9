"""The mTLS summary (``meshctl analyze mtls``): the effective mode of every workload port."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from meshctl.analysis.context import Environment
from meshctl.analysis.mtls import WORKLOAD_KINDS, PeerAuthIndex, has_sidecar, uncaptured_reason, workload_labels
from meshctl.analysis.selectors import pod_spec
from meshctl.resource import Resource
from meshctl.snapshot import Snapshot

SUMMARY_KINDS = {"PeerAuthentication", "Namespace", *WORKLOAD_KINDS}


@dataclass(frozen=True)
class MtlsRow:
    """One workload port."""

    namespace: str
    workload: str
    port: str
    mode: str
    policy: str
    sidecar: bool


def _workloads(snapshot: Snapshot) -> list[Resource]:
    """Pods, plus workloads that have no pods in the snapshot (offline manifests)."""
    pods = snapshot.of_kind("Pod")
    covered = {(p.namespace, tuple(sorted(p.labels.items()))) for p in pods}
    templates = [w for kind in WORKLOAD_KINDS[1:] for w in snapshot.of_kind(kind)
                 if (w.namespace, tuple(sorted(workload_labels(w).items()))) not in covered]
    return [*pods, *templates]


def _ports(workload: Resource) -> list[int | None]:
    ports = sorted({p["containerPort"] for c in pod_spec(workload).get("containers") or []
                    for p in c.get("ports") or [] if isinstance(p.get("containerPort"), int)})
    return [*ports] or [None]


def summarize(snapshot: Snapshot, env: Environment, namespace: str | None = None) -> list[MtlsRow]:
    """Rows sorted by namespace, workload and port (``namespace`` limits them)."""
    root = str(env.mesh_config.get("rootNamespace") or env.istio_namespace)
    index = PeerAuthIndex(snapshot.of_kind("PeerAuthentication"), root)
    namespaces = {n.name: dict(n.labels) for n in snapshot.of_kind("Namespace")}
    rows = []
    for workload in _workloads(snapshot):
        if namespace and workload.namespace != namespace:
            continue
        if workload.namespace == env.istio_namespace and workload.name.endswith("dummypod"):
            continue
        sidecar = has_sidecar(workload, namespaces)
        for port in _ports(workload):
            mode = index.effective(workload.namespace, workload_labels(workload), port)
            shown, source = (mode.mode, mode.source()) if sidecar else ("NONE (no sidecar)", mode.source())
            uncaptured = uncaptured_reason(workload, port) if sidecar else None
            if uncaptured:
                shown, source = "NONE (not captured)", uncaptured
            rows.append(MtlsRow(workload.namespace or "", f"{workload.kind}/{workload.name}",
                                str(port) if port else "*", shown, source, sidecar))
    return sorted(rows, key=lambda r: (r.namespace, r.workload, r.port))


MTLS_COLUMNS = (("NAMESPACE", "namespace"), ("WORKLOAD", "workload"), ("PORT", "port"), ("MODE", "mode"),
                ("POLICY", "policy"))


def render_summary(rows: list[MtlsRow], fmt: str) -> str:
    """table (default), json or yaml, through the one output layer."""
    from meshctl.report.data import render_data, table

    data = [asdict(r) for r in rows]
    if fmt in ("json", "yaml"):
        return render_data(data, fmt)
    return table(data, MTLS_COLUMNS)
