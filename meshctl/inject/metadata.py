"""After the templates: Prometheus merge, the status annotation, and Go's typed zero values.

Prometheus merge: the app's own ``prometheus.io/*`` settings (and
``prometheus.istio.io/scrape-targets``) move into ``ISTIO_PROMETHEUS_ANNOTATIONS`` for the
agent, and the pod is scraped at the agent's merged endpoint instead.
"""

from __future__ import annotations

import json
from typing import Any

from meshctl.inject import annotations as a

Obj = dict[str, Any]
PROM_PATH_VALUE = "/stats/prometheus"
PROM_ENV = "ISTIO_PROMETHEUS_ANNOTATIONS"
MERGE_METRICS = "prometheus.istio.io/merge-metrics"
SCRAPE_TARGETS = "prometheus.istio.io/scrape-targets"
#: Fields Go writes for each kind's status even when zero (kube-inject round-trips typed objects).
STATUS_ZEROS: dict[str, tuple[str, ...]] = {
    "DaemonSet": ("currentNumberScheduled", "numberMisscheduled", "desiredNumberScheduled", "numberReady"),
    "StatefulSet": ("replicas", "availableReplicas"),
    "ReplicaSet": ("replicas",),
    "ReplicationController": ("replicas",),
    "DeploymentConfig": ("latestVersion", "observedGeneration", "replicas", "updatedReplicas",
                         "availableReplicas", "unavailableReplicas"),
}


def _targets(text: str) -> list[dict[str, str]]:
    out = []
    for item in (p.strip() for p in text.split(",")):
        if item:
            port, _, path = item.partition(":")
            out.append({"port": port.strip(), "path": path.strip() or "/metrics"})
    return out


def prometheus(ann: Obj, spec: Obj, values: Any) -> None:
    """Point the scrape annotations at the agent; hand the app's own to the agent's env."""
    enabled = values.mesh.get("enablePrometheusMerge", True)
    if enabled is False or str(ann.get(MERGE_METRICS, "")).lower() == "false":
        return
    if str(ann.get(a.PROM_SCRAPE, "")).lower() == "false":
        return
    port = str((values.proxy_defaults or {}).get("statusPort") or 15020)
    if ann.get(a.PROM_PORT) == port and ann.get(a.PROM_PATH) == PROM_PATH_VALUE:
        return
    app: Obj = {k: str(ann[f"prometheus.io/{k}"]) for k in ("scrape", "path", "port") if f"prometheus.io/{k}" in ann}
    if ann.get(SCRAPE_TARGETS):
        targets = _targets(str(ann.pop(SCRAPE_TARGETS)))
        if targets:
            app.setdefault("port", targets[0]["port"])
            app.setdefault("path", targets[0]["path"])
            app["targets"] = targets
    if app:
        for c in [*(spec.get("containers") or []), *(spec.get("initContainers") or [])]:
            if c.get("name") == a.PROXY_NAME:
                c.setdefault("env", []).append({"name": PROM_ENV, "value": json.dumps(app, separators=(",", ":"))})
    ann.update({a.PROM_PORT: port, a.PROM_PATH: PROM_PATH_VALUE, a.PROM_SCRAPE: "true"})


def _names(fragments: list[Obj], key: str) -> list[str] | None:
    names: list[str] = []
    for frag in fragments:
        for item in (frag.get("spec") or {}).get(key) or []:
            name = str(item.get("name")) if isinstance(item, dict) else ""
            if name and name not in names:
                names.append(name)
    return names or None


def status(fragments: list[Obj], spec: Obj, revision: str) -> str:
    """``sidecar.istio.io/status``: what the templates added, so that it can be removed again."""
    secrets = [str(s.get("name")) for f in fragments for s in (f.get("spec") or {}).get("imagePullSecrets") or []
               if isinstance(s, dict)]
    doc = {"initContainers": _names(fragments, "initContainers"), "containers": _names(fragments, "containers"),
           "volumes": _names(fragments, "volumes"), "imagePullSecrets": secrets or None, "revision": revision}
    return json.dumps(doc, separators=(",", ":"))


def finish(meta: Obj, spec: Obj, fragments: list[Obj], values: Any) -> None:
    """Prometheus merge, the status annotation, sorted annotations and labels (in place)."""
    ann = meta.setdefault("annotations", {})
    prometheus(ann, spec, values)
    ann[a.STATUS] = status(fragments, spec, values.revision)
    if not spec.get("initContainers"):
        spec.pop("initContainers", None)
    meta["annotations"] = dict(sorted(ann.items()))
    labels = meta.get("labels") or {}
    if labels:
        meta["labels"] = dict(sorted(labels.items()))
    else:
        meta.pop("labels", None)


def go_defaults(obj: Obj) -> Obj:
    """The object as istioctl writes it after a round trip through Go's types (zero status fields)."""
    kind = str(obj.get("kind", ""))
    zeros = STATUS_ZEROS.get(kind)
    if zeros:
        current = obj.get("status") if isinstance(obj.get("status"), dict) else {}
        obj["status"] = {**{k: 0 for k in zeros}, **(current or {})}
    if kind == "DeploymentConfig" and isinstance(obj.get("spec"), dict):
        spec = obj["spec"]
        spec.setdefault("test", False)
        for key, zero in (("paused", False), ("minReadySeconds", 0)):
            if spec.get(key) == zero:
                spec.pop(key)
    return obj
