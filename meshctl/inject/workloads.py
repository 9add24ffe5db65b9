"""Where each workload kind keeps its pods, and who owns a pod (its workload name and owner URI)."""

from __future__ import annotations

import re
from typing import Any

from meshctl.inject.pod import Workload
from meshctl.sources.shape import POD_TEMPLATE_PATHS

Obj = dict[str, Any]
#: kind -> path to the pod template inside the object (the pod itself for a Pod).
TEMPLATE_PATHS: dict[str, tuple[str, ...]] = {**POD_TEMPLATE_PATHS, "DeploymentConfig": ("spec", "template")}
WORKLOAD_NAME = "service.istio.io/workload-name"
_CRON_SUFFIX = re.compile(r"^(.+)-\d{8,11}$")


def _node(obj: Obj, path: tuple[str, ...]) -> Any:
    node: Any = obj
    for part in path:
        node = node.get(part) if isinstance(node, dict) else None
    return node


def pod_template(obj: Obj) -> Obj | None:
    """The object's pod template (the pod itself for a Pod), or None for other kinds.

    A CronJob's pods take their metadata from ``spec.jobTemplate.metadata``, as Istio's
    kube-inject reads (and writes) it."""
    kind = str(obj.get("kind", ""))
    path = TEMPLATE_PATHS.get(kind)
    if path is None:
        return None
    node = _node(obj, path)
    if not isinstance(node, dict):
        return None
    if kind == "CronJob":
        job = _node(obj, ("spec", "jobTemplate")) or {}
        return {"metadata": job.get("metadata") or {}, "spec": node.get("spec") or {}}
    return node


def set_pod_template(obj: Obj, injected: Obj) -> Obj:
    """``obj`` with its pod template replaced by ``injected`` (in place; returned)."""
    kind = str(obj["kind"])
    path = TEMPLATE_PATHS[kind]
    if not path:
        obj["metadata"], obj["spec"] = injected["metadata"], injected["spec"]
        return obj
    if kind == "CronJob":
        job = obj["spec"]["jobTemplate"]
        job["metadata"] = injected["metadata"]
        template = job["spec"]["template"]
        template["spec"] = injected["spec"]
        return obj
    node = obj
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = {**node[path[-1]], **injected}
    return obj


def _controller(meta: Obj) -> Obj | None:
    refs = [r for r in meta.get("ownerReferences") or [] if isinstance(r, dict)]
    return next((r for r in refs if r.get("controller")), None)


def workload_of(obj: Obj) -> Workload:
    """The workload identity of an object with a pod template (a pod's controller when it has one)."""
    meta = obj.get("metadata") or {}
    namespace = str(meta.get("namespace") or "default")
    api, kind = str(obj.get("apiVersion", "v1")), str(obj.get("kind", "Pod"))
    name = str(meta.get("name") or meta.get("generateName") or "")
    ref = _controller(meta) if kind == "Pod" else None
    if ref:
        api, kind, name = str(ref.get("apiVersion", "v1")), str(ref.get("kind", "")), str(ref.get("name", ""))
        labels = meta.get("labels") or {}
        pod_hash = str(labels.get("pod-template-hash", ""))
        if kind == "ReplicaSet" and pod_hash and name.endswith(f"-{pod_hash}"):
            api, kind, name = "apps/v1", "Deployment", name[: -len(pod_hash) - 1]
        elif kind == "Job" and (m := _CRON_SUFFIX.match(name)):
            api, kind, name = "batch/v1", "CronJob", m.group(1)
    template = pod_template(obj) or {}
    labels = (template.get("metadata") or {}).get("labels") or {}
    return Workload(api, kind, name, namespace, str(labels.get(WORKLOAD_NAME) or ""), str(meta.get("namespace") or ""))
