"""The injector: pod templates in Kubernetes objects, injected the way Istio's webhook does.

Everything here is pure: objects in, new objects out. Injecting an injected
object first removes the previous injection, so injecting twice equals injecting once.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from meshctl.inject import annotations as a
from meshctl.inject.podspec import (
    Obj,
    Workload,
    capture_for,
    init_container,
    proxy_container,
    proxy_overrides,
    template,
)
from meshctl.sources.shape import POD_TEMPLATE_PATHS as TEMPLATE_PATHS

PROM_PATH_VALUE = "/stats/prometheus"
PROM_ENV = "ISTIO_PROMETHEUS_ANNOTATIONS"
_INJECTED_CONTAINERS = (a.PROXY_NAME, a.INIT_NAME, "istio-validation")


def pod_template(obj: Obj) -> Obj | None:
    """The object's pod template (the pod itself for a Pod), or None for other kinds."""
    path = TEMPLATE_PATHS.get(str(obj.get("kind", "")))
    if path is None:
        return None
    node: Any = obj
    for part in path:
        node = node.get(part) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else None


def is_injected(template_obj: Obj) -> bool:
    """Whether a pod template carries an Istio sidecar already."""
    meta = template_obj.get("metadata") or {}
    if a.STATUS in (meta.get("annotations") or {}):
        return True
    spec = template_obj.get("spec") or {}
    return any(c.get("name") == a.PROXY_NAME
               for c in [*(spec.get("containers") or []), *(spec.get("initContainers") or [])])


def injected_revision(template_obj: Obj) -> str | None:
    """The revision a pod was injected by (from its status annotation), or None."""
    meta = template_obj.get("metadata") or {}
    ann = meta.get("annotations") or {}
    status = ann.get(a.STATUS)
    if status:
        try:
            rev = json.loads(status).get("revision")
        except (ValueError, AttributeError):
            rev = None
        if rev:
            return str(rev)
    if is_injected(template_obj):
        return str(ann.get(a.REV) or (meta.get("labels") or {}).get(a.REV) or "default")
    return None


def _old_prometheus(spec: Obj) -> dict[str, str] | None:
    for c in [*(spec.get("containers") or []), *(spec.get("initContainers") or [])]:
        if c.get("name") != a.PROXY_NAME:
            continue
        for env in c.get("env") or []:
            if env.get("name") == PROM_ENV and env.get("value"):
                try:
                    found = json.loads(str(env["value"]))
                except ValueError:
                    return None
                return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else None
    return None


def uninject(meta: Obj, spec: Obj) -> None:
    """Undo a previous injection in place: containers, volumes, status and prometheus annotations."""
    ann = meta.get("annotations") or {}
    status: Obj = {}
    if a.STATUS in ann:
        try:
            status = json.loads(str(ann[a.STATUS])) or {}
        except ValueError:
            status = {}
        if not isinstance(status, dict) or not isinstance(status.get("volumes") or [], list):
            status = {}
    volumes = set(status.get("volumes") or []) | {v["name"] for v in template("volumes")}
    prom = _old_prometheus(spec)
    for key in ("containers", "initContainers"):
        if key in spec:
            spec[key] = [c for c in spec[key] or [] if c.get("name") not in _INJECTED_CONTAINERS]
    if not spec.get("initContainers"):
        spec.pop("initContainers", None)
    if "volumes" in spec:
        spec["volumes"] = [v for v in spec["volumes"] or [] if v.get("name") not in volumes]
        if not spec["volumes"]:
            spec.pop("volumes")
    ann.pop(a.STATUS, None)
    if prom is not None:
        for short in ("scrape", "port", "path"):
            ann.pop(f"prometheus.io/{short}", None)
            if short in prom:
                ann[f"prometheus.io/{short}"] = prom[short]


def _prometheus(ann: Obj, status_port: str) -> str | None:
    """Set Istio's scrape annotations; return the app's own ones (JSON) for the proxy's env."""
    if str(ann.get(a.PROM_SCRAPE, "")).lower() == "false":
        return None
    ours = {"scrape": "true", "port": status_port, "path": PROM_PATH_VALUE}
    app = {k: str(ann[f"prometheus.io/{k}"]) for k in ("scrape", "port", "path")
           if f"prometheus.io/{k}" in ann}
    for key, value in ours.items():
        ann[f"prometheus.io/{key}"] = value
    if not app or all(app.get(k, ours[k]) == ours[k] for k in ("port", "path")):
        return None
    return json.dumps(app, separators=(",", ":"))


def _status(init: list[Obj], containers: list[Obj], revision: str) -> str:
    doc = {"initContainers": [c["name"] for c in init] or None,
           "containers": [c["name"] for c in containers] or None,
           "volumes": [v["name"] for v in template("volumes")],
           "imagePullSecrets": None, "revision": revision}
    return json.dumps(doc, separators=(",", ":"))


def _native(ann: Obj, default: bool) -> bool:
    value = str(ann.get(a.NATIVE_SIDECAR, "")).strip().lower()
    return default if value not in ("true", "false") else value == "true"


def inject_template(template_obj: Obj, values: Any, workload: Workload) -> Obj:
    """A pod template with the sidecar injected (``values``: InjectionValues)."""
    out = copy.deepcopy(template_obj)
    meta: Obj = out.setdefault("metadata", {}) or {}
    out["metadata"] = meta
    spec: Obj = out.get("spec") or {}
    out["spec"] = spec
    uninject(meta, spec)
    ann: Obj = dict(meta.get("annotations") or {})
    labels: Obj = dict(meta.get("labels") or {})
    proxy = {**values.proxy_defaults, **proxy_overrides(ann)}
    native = _native(ann, values.native_sidecar)
    hold = bool(proxy.get("holdApplicationUntilProxyStarts")) and not native
    capture = capture_for({"annotations": ann}, values)
    app = list(spec.get("containers") or [])
    if app:
        ann.setdefault(a.DEFAULT_CONTAINER, app[0].get("name"))
        ann.setdefault(a.DEFAULT_LOGS_CONTAINER, app[0].get("name"))
    prom = _prometheus(ann, str(proxy.get("statusPort") or values.status_port))
    sidecar = proxy_container({"annotations": ann}, spec, values, workload, proxy, native, hold,
                              proxy_overrides(ann))
    if prom:
        sidecar["env"].append({"name": PROM_ENV, "value": prom})
    init = [] if capture.mode.upper() == "NONE" else [init_container(capture, {"annotations": ann}, values)]
    if native:
        init.append(sidecar)
    spec["initContainers"] = [*init, *(spec.get("initContainers") or [])]
    containers = [] if native else [sidecar]
    spec["containers"] = [*containers, *app] if hold else [*app, *containers]
    spec["volumes"] = [*(spec.get("volumes") or []), *template("volumes")]
    if not spec["initContainers"]:
        spec.pop("initContainers")
    ann[a.REV] = values.revision
    ann[a.STATUS] = _status(init, containers, values.revision)
    labels[a.TLS_MODE] = "istio"
    labels[a.CANONICAL_NAME] = a.canonical_name(labels, workload.name)
    labels[a.CANONICAL_REVISION] = a.canonical_revision(labels)
    meta["annotations"] = dict(sorted(ann.items()))
    meta["labels"] = dict(sorted(labels.items()))
    return out


def not_injected_reason(template_obj: Obj) -> str | None:
    """Why the injector leaves this template alone (opted out, host network), or None."""
    meta = template_obj.get("metadata") or {}
    spec = template_obj.get("spec") or {}
    if spec.get("hostNetwork"):
        return "it uses the host network"
    if a.opted_out(meta.get("labels") or {}, meta.get("annotations") or {}):
        return f'it has {a.INJECT}: "false"'
    return None


def should_inject(template_obj: Obj) -> bool:
    """Whether kube-inject injects this template (not opted out, not host-network)."""
    return not_injected_reason(template_obj) is None


def workload_of(obj: Obj) -> Workload:
    """The workload identity of an object with a pod template."""
    meta = obj.get("metadata") or {}
    name = str(meta.get("name") or meta.get("generateName") or "")
    return Workload(str(obj.get("apiVersion", "v1")), str(obj.get("kind", "Pod")), name,
                    str(meta.get("namespace") or "default"))


def inject_object(obj: Obj, values: Any) -> Obj | None:
    """The object with its pod template injected, or None when it has none or opts out."""
    tpl = pod_template(obj)
    if tpl is None or not should_inject(tpl):
        return None
    injected = inject_template(tpl, values, workload_of(obj))
    out = copy.deepcopy(obj)
    path = TEMPLATE_PATHS[str(obj["kind"])]
    if not path:
        return {**out, "metadata": injected["metadata"], "spec": injected["spec"]}
    node = out
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = injected
    return out
