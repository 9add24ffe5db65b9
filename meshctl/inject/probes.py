"""App probes and lifecycle hooks sent through the agent, as Istio's injector rewrites them.

The kubelet cannot reach an app's probe port through mTLS, so each HTTP, TCP or gRPC
probe becomes an HTTP GET on the agent's status port at ``/app-health/<container>/<kind>z``
(lifecycle hooks: ``/app-lifecycle/<container>/<hook>z``), and the original probe is
handed to the agent in ``ISTIO_KUBE_APP_PROBERS`` (JSON, named ports resolved).
"""

from __future__ import annotations

import copy
import json
from typing import Any

from meshctl.conventions.sidecars import proxy_env_json
from meshctl.inject import annotations as a

Obj = dict[str, Any]
PROBERS_ENV = "ISTIO_KUBE_APP_PROBERS"
REWRITE = "sidecar.istio.io/rewriteAppHTTPProbers"
_PROBES = (("readinessProbe", "readyz"), ("livenessProbe", "livez"), ("startupProbe", "startupz"))
_HOOKS = (("preStop", "prestopz"), ("postStart", "poststartz"))
_HANDLERS = ("httpGet", "tcpSocket", "grpc")


def _resolve_port(port: Any, container: Obj) -> Any:
    """A named port as its number in the container's ports (left as is when not found)."""
    if isinstance(port, str) and not port.isdigit():
        for item in container.get("ports") or []:
            if item.get("name") == port:
                return item.get("containerPort")
        return port
    return int(port) if isinstance(port, str) else port


def _prober(handler_owner: Obj, container: Obj) -> Obj | None:
    """What the agent runs for one probe or hook (None for exec and sleep handlers)."""
    for kind in _HANDLERS:
        handler = handler_owner.get(kind)
        if not isinstance(handler, dict):
            continue
        copied = copy.deepcopy(handler)
        if kind != "grpc" and "port" in copied:
            copied["port"] = _resolve_port(copied["port"], container)
        out: Obj = {kind: copied}
        if handler_owner.get("timeoutSeconds"):
            out["timeoutSeconds"] = handler_owner["timeoutSeconds"]
        return out
    return None


def _targets(spec: Obj) -> list[Obj]:
    """App containers and native sidecars of the user (never istio-proxy)."""
    apps = [c for c in spec.get("containers") or [] if c.get("name") != a.PROXY_NAME]
    sidecars = [c for c in spec.get("initContainers") or []
                if c.get("restartPolicy") == "Always" and c.get("name") != a.PROXY_NAME]
    return [*apps, *sidecars]


def _rewritten(owner: Obj, path: str, status_port: int) -> Obj:
    """The probe (or hook) as an HTTP GET on the agent; an HTTPS probe becomes HTTP to the agent."""
    out = {k: v for k, v in owner.items() if k not in _HANDLERS}
    get: Obj = {"path": path, "port": status_port}
    http = owner.get("httpGet")
    if isinstance(http, dict):
        get = {**{k: v for k, v in http.items() if k not in ("path", "port")}, **get}
        if str(http.get("scheme", "")).upper() == "HTTPS":
            get["scheme"] = "HTTP"
    out["httpGet"] = get
    return out


def _already(owner: Obj, path: str, status_port: int) -> bool:
    http = owner.get("httpGet")
    return isinstance(http, dict) and http.get("path") == path and str(http.get("port")) == str(status_port)


def previous(spec: Obj) -> Obj:
    """The probers an earlier injection handed to the agent (to keep them on re-injection)."""
    found = proxy_env_json(spec, PROBERS_ENV)
    return found if isinstance(found, dict) else {}


def _one(owner: Obj, container: Obj, path: str, status_port: int, earlier: Obj, probers: Obj) -> Obj | None:
    """Record one probe or hook; its rewritten form, or None to leave it as it is."""
    if _already(owner, path, status_port):
        if path in earlier:
            probers[path] = earlier[path]
        return None
    found = _prober(owner, container)
    if found is None:
        return None
    kind = next(k for k in _HANDLERS if k in found)
    port = found[kind].get("port")
    if not (isinstance(port, str) and not port.isdigit()):
        probers[path] = found
    # a named port the container does not declare gets no prober, yet the probe is still
    # rewritten, as Istio's injector does (the kubelet's probe then fails visibly)
    return _rewritten(owner, path, status_port)


def rewrite(spec: Obj, status_port: int, earlier: Obj | None = None) -> str | None:
    """Rewrite the app's probes and hooks in place; the ISTIO_KUBE_APP_PROBERS JSON, or None.

    ``earlier``: the probers of a previous injection, kept for probes it already rewrote."""
    probers: Obj = {}
    for container in _targets(spec):
        name = str(container.get("name") or "")
        for field, suffix in _PROBES:
            probe = container.get(field)
            if isinstance(probe, dict):
                new = _one(probe, container, f"/app-health/{name}/{suffix}", status_port, earlier or {}, probers)
                if new is not None:
                    container[field] = new
        hooks = container.get("lifecycle")
        for field, suffix in _HOOKS:
            hook = hooks.get(field) if isinstance(hooks, dict) else None
            if isinstance(hooks, dict) and isinstance(hook, dict):
                new = _one(hook, container, f"/app-lifecycle/{name}/{suffix}", status_port, earlier or {}, probers)
                if new is not None:
                    hooks[field] = new
    if not probers:
        return None
    return json.dumps(dict(sorted(probers.items())), separators=(",", ":"))


def enabled(annotations: Obj, default: bool) -> bool:
    """Whether probes are rewritten: the pod's annotation, else ``rewriteAppHTTPProbe``."""
    value = annotations.get(REWRITE)
    if value is None:
        return default
    return str(value).strip().lower() not in ("false", "0", "no", "off", "n", "f")
