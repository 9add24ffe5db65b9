"""Turn API failures into one-sentence ClusterErrors. Pure: no I/O, no ``kubernetes`` import."""

from __future__ import annotations

import json
from dataclasses import dataclass

from meshctl.cluster.requests import ApiRequest
from meshctl.errors import ClusterError

_VERBS = {"POST": "create", "PATCH": "patch", "PUT": "update", "DELETE": "delete"}
_GERUNDS = {"create": "creating", "patch": "patching", "update": "updating", "delete": "deleting",
            "get": "getting", "list": "listing"}
_REASONS = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
            405: "Method Not Allowed", 409: "Conflict", 410: "Gone", 415: "Unsupported Media Type",
            422: "Unprocessable Entity", 429: "Too Many Requests", 500: "Internal Server Error",
            502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}


class AccessDenied(ClusterError):
    """403: the user may not do this (a known limit of access, not a fault)."""

    def __init__(self, message: str, resource: str = "", namespace: str | None = None) -> None:
        super().__init__(message)
        self.resource = resource
        self.namespace = namespace


class ReadFailed(ClusterError):
    """A read that failed for a reason other than access: 5xx after retries, 410 on every page,
    a broken body, a group whose discovery failed. What depended on it did not run."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Action:
    """What a request does, in RBAC terms."""

    verb: str
    resource: str
    namespace: str | None
    name: str | None


def action_of(req: ApiRequest) -> Action:
    """The RBAC verb, resource (``plural[.group]``), namespace and name a request path names."""
    parts = [p for p in req.path.split("/") if p]
    if parts[:1] == ["api"]:
        group, rest = "", parts[2:]
    else:
        group, rest = (parts[1] if len(parts) > 1 else ""), parts[3:]
    namespace = None
    if len(rest) >= 3 and rest[0] == "namespaces":
        namespace, rest = rest[1], rest[2:]
    plural = rest[0] if rest else ""
    name = rest[1] if len(rest) > 1 else None
    if len(rest) > 2:
        plural = f"{plural}/{rest[2]}"
    verb = _VERBS.get(req.method, "get" if name else "list")
    if not plural:  # a path that names no resource: discovery (/api, /apis/GROUP/VERSION) or /version
        return Action("get" if req.method == "GET" else verb, req.path.split("?")[0], None, None)
    return Action(verb, f"{plural}.{group}" if group else plural, namespace, name)


def status_message(body: bytes) -> str:
    """The ``message`` of a Kubernetes Status body, if there is one."""
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return ""
    return str(doc.get("message") or "") if isinstance(doc, dict) else ""


def reason(status: int) -> str:
    """``403 Forbidden``."""
    return f"{status} {_REASONS.get(status, 'Error')}".strip()


def _where(action: Action) -> str:
    if action.resource.startswith("/"):  # a path, not a resource: no scope to name
        return ""
    if action.namespace:
        return f"in namespace {action.namespace}"
    return "at the cluster scope"


def status_error(req: ApiRequest, status: int, body: bytes = b"") -> ClusterError:
    """One sentence for an HTTP error answer."""
    action = action_of(req)
    what = action.resource + (f" {action.name}" if action.name and action.verb != "list" else "")
    where = f" {_where(action)}" if _where(action) else ""
    if status == 401:
        gerund = _GERUNDS.get(action.verb, action.verb)
        return ClusterError(f"unauthorized (401): the credentials in the kubeconfig were rejected while "
                            f"{gerund} {what}{where}")
    if status == 403:
        return AccessDenied(f"permission denied: cannot {action.verb} {what}{where} ({reason(status)})",
                            action.resource, action.namespace)
    detail = status_message(body)
    tail = f": {detail}" if detail else ""
    text = f"cannot {action.verb} {what}{where} ({reason(status)}){tail}"
    return ReadFailed(text, status) if req.method == "GET" else ClusterError(text)


def bad_body_error(req: ApiRequest, tries: int) -> ReadFailed:
    """The body of a read was not the JSON document it should be, every time it was asked for."""
    return ReadFailed(f"the Kubernetes API server answered {req.describe()} with a truncated or invalid "
                      f"JSON body ({tries} tries)")


def timeout_error(seconds: float, req: ApiRequest) -> ClusterError:
    """The whole command ran out of time."""
    return ClusterError(f"timed out after {seconds:g}s waiting for the Kubernetes API server "
                        f"({req.describe()}); raise --timeout to wait longer")


def unreachable_error(server: str, why: str) -> ClusterError:
    """The API server cannot be reached at all."""
    return ClusterError(f"cannot reach the Kubernetes API server at {server}: {why}")
