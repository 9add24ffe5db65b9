"""The injector: pod templates in Kubernetes objects, injected the way Istio's webhook does.

Everything here is pure: objects in, new objects out. Injecting an injected
object first removes the previous injection, so injecting twice equals injecting once.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from meshctl.conventions.sidecars import proxy_env_json
from meshctl.inject import annotations as a
from meshctl.inject import overrides, probes, templates
from meshctl.inject.metadata import PROM_ENV, finish, go_defaults
from meshctl.inject.pod import Obj, Pod, Workload, template
from meshctl.inject.validate import check_annotations
from meshctl.inject.workloads import pod_template, set_pod_template, workload_of

_INJECTED_VOLUMES = {"istio-token", "istiod-ca-cert", "istio-ca-crl", "istio-xds", "grpc-io-proxyless-bootstrap"}
_INJECTED_CONTAINERS = (a.PROXY_NAME, a.INIT_NAME, "istio-validation", "grpc-bootstrap-init")


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
    found = proxy_env_json(spec, PROM_ENV)
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else None


def uninject(meta: Obj, spec: Obj) -> None:
    """Undo a previous injection in place: containers, volumes, status and prometheus annotations."""
    ann = meta.get("annotations") or {}
    status: Obj = {}
    if a.STATUS not in ann:
        return
    if a.STATUS in ann:
        try:
            status = json.loads(str(ann[a.STATUS])) or {}
        except ValueError:
            status = {}
        if not isinstance(status, dict) or not isinstance(status.get("volumes") or [], list):
            status = {}
    volumes = set(status.get("volumes") or []) | set(template("volumes")) | _INJECTED_VOLUMES
    injected = set(_INJECTED_CONTAINERS) | {str(n) for n in status.get("initContainers") or []}
    if status.get("containers") == [a.PROXY_NAME]:
        injected.add(a.PROXY_NAME)
    prom = _old_prometheus(spec)
    for key in ("containers", "initContainers"):
        if key in spec:
            spec[key] = [c for c in spec[key] or [] if c.get("name") not in injected]
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


def _native(ann: Obj, default: bool) -> bool:
    value = str(ann.get(a.NATIVE_SIDECAR, "")).strip().lower()
    return default if value not in ("true", "false") else value == "true"


def _take_user_containers(spec: Obj, written: dict[str, set[str]], ann: Obj) -> dict[str, list[Obj]]:
    """The user's versions of containers the templates write; moved to the list the template uses."""
    found = overrides.recorded(ann)
    if found is not None:
        return found
    found = {}
    for key, other in (("containers", "initContainers"), ("initContainers", "containers")):
        for name in sorted(written.get(key, set())):
            here = [c for c in spec.get(key) or [] if c.get("name") == name]
            there = [c for c in spec.get(other) or [] if c.get("name") == name]
            if not here and there and name not in written.get(other, set()):
                spec[other] = [c for c in spec[other] if c.get("name") != name]
                here = there
            elif here and name in _INJECTED_CONTAINERS:
                # built afresh, then the user's fields over it: the same order as a re-injection gives
                spec[key] = [c for c in spec[key] if c.get("name") != name]
            found.setdefault(key, []).extend(overrides.user_fields(c) for c in here)
    return {k: v for k, v in found.items() if v}


def _user_proxy(spec: Obj, ann: Obj) -> Obj:
    recorded = overrides.recorded(ann) or {}
    pool = [*(recorded.get("containers") or []), *(recorded.get("initContainers") or []),
            *(spec.get("containers") or []), *(spec.get("initContainers") or [])]
    return next((dict(c) for c in pool if c.get("name") == a.PROXY_NAME), {})


def _move(items: list[Obj], name: str, first: bool) -> list[Obj]:
    picked = [c for c in items if c.get("name") == name]
    rest = [c for c in items if c.get("name") != name]
    return [*picked, *rest] if first else [*rest, *picked]


def reorder(spec: Obj, hold: bool) -> None:
    """istio-proxy last (first when the app waits for it); istio-init first for native sidecars, else last."""
    if spec.get("containers"):
        spec["containers"] = _move(spec["containers"], a.PROXY_NAME, hold)
    inits = list(spec.get("initContainers") or [])
    if not inits:
        return
    if any(c.get("name") == a.PROXY_NAME for c in inits):
        for name in ("enable-core-dump", a.PROXY_NAME, "istio-validation", a.INIT_NAME):
            inits = _move(inits, name, True)
    else:
        for name in (a.INIT_NAME, "istio-validation", "enable-core-dump"):
            inits = _move(inits, name, False)
    spec["initContainers"] = inits


def _proxy_runs_as_root(spec: Obj) -> None:
    """TPROXY needs the proxy to run as root, whatever uid the user asked for."""
    for c in [*(spec.get("containers") or []), *(spec.get("initContainers") or [])]:
        if c.get("name") == a.PROXY_NAME and isinstance(c.get("securityContext"), dict):
            c["securityContext"]["runAsUser"] = 0


def _add_probers(spec: Obj, probers: str) -> None:
    for c in [*(spec.get("containers") or []), *(spec.get("initContainers") or [])]:
        if c.get("name") == a.PROXY_NAME:
            env = [e for e in c.get("env") or [] if e.get("name") != probes.PROBERS_ENV]
            c["env"] = [*env, {"name": probes.PROBERS_ENV, "value": probers}]


def inject_template(template_obj: Obj, values: Any, workload: Workload) -> Obj:
    """A pod template with the sidecar injected (``values``: InjectionValues)."""
    out = copy.deepcopy(template_obj)
    meta: Obj = out.get("metadata") or {}
    spec: Obj = out.get("spec") or {}
    earlier = probes.previous(spec)
    uninject(meta, spec)
    ann: Obj = dict(meta.get("annotations") or {})
    meta["annotations"] = ann
    meta["labels"] = dict(meta.get("labels") or {})
    check_annotations(ann)
    pod = Pod(meta, spec, values, workload, _native(ann, values.native_sidecar), _user_proxy(spec, ann))
    names = templates.names(ann, values)
    fragments = [templates.fragment(name, pod) for name in names]
    written = templates.written(fragments)
    users = _take_user_containers(spec, written, ann)
    merged: Obj = {"metadata": meta, "spec": spec}
    for frag in fragments:
        merged = overrides.strategic_merge(merged, frag)
    meta, spec = merged["metadata"], merged["spec"]
    ann = meta.setdefault("annotations", {})
    rewrite = probes.enabled(ann, values.flag("sidecarInjectorWebhook.rewriteAppHTTPProbe", True))
    if rewrite and pod.status_port:
        found = probes.rewrite(spec, pod.status_port, earlier)
        if found:
            _add_probers(spec, found)
    overrides.reapply(spec, users)
    if pod.tproxy:
        _proxy_runs_as_root(spec)
    note = overrides.record(users)
    if note and overrides.ANNOTATION not in ann:
        ann[overrides.ANNOTATION] = note
    reorder(spec, pod.hold)
    finish(meta, spec, fragments, values)
    return {**out, "metadata": meta, "spec": spec}


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


def inject_object(obj: Obj, values: Any, warnings: list[str] | None = None) -> Obj | None:
    """The object with its pod template injected, or None when it has none or opts out.

    ``warnings`` collects why a pod template was left alone when the reason deserves a word
    (the host network, as istioctl warns)."""
    tpl = pod_template(obj)
    if tpl is None:
        return None
    reason = not_injected_reason(tpl)
    if reason is not None:
        if warnings is not None and (tpl.get("spec") or {}).get("hostNetwork"):
            meta = obj.get("metadata") or {}
            name = f"{meta.get('namespace') or 'default'}/{meta.get('name') or meta.get('generateName') or ''}"
            warnings.append(f'Skipping injection because {obj.get("kind")} "{name}" has host networking enabled '
                            "(a pod on the host network is never injected)")
        return None
    injected = inject_template(tpl, values, workload_of(obj))
    return go_defaults(set_pod_template(copy.deepcopy(obj), injected))
