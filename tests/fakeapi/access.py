"""Configurable authorization: everything is allowed except what a deny rule names."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from .status import ApiError

USER = "test"


@dataclass(frozen=True)
class DenyRule:
    """Deny ``verb`` on ``resource`` (``*`` matches any); namespace None means every namespace."""

    verb: str
    resource: str
    group: str = ""
    namespace: str | None = None

    def matches(self, verb: str, resource: str, group: str, namespace: str) -> bool:
        """Whether this rule denies the request."""
        return (
            self.verb in ("*", verb)
            and self.resource in ("*", resource, resource.split("/")[0] + "/*")
            and self.group in ("*", group)
            and (self.namespace is None or self.namespace == namespace)
        )


class Access:
    """Thread-safe deny list consulted by requests and SelfSubjectAccessReviews."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[DenyRule] = []

    def deny(self, verb: str, resource: str, group: str = "", namespace: str | None = None) -> None:
        """Deny a verb on a resource (``pods`` or ``pods/log``) in a namespace (None: everywhere)."""
        with self._lock:
            self._rules.append(DenyRule(verb, resource, group, namespace))

    def allow_all(self) -> None:
        """Drop every deny rule."""
        with self._lock:
            self._rules.clear()

    def allowed(self, verb: str, resource: str, group: str = "", namespace: str = "") -> bool:
        """Whether the test user may do this."""
        with self._lock:
            return not any(r.matches(verb, resource, group, namespace or "") for r in self._rules)


def forbidden(verb: str, resource: str, group: str, namespace: str, name: str = "") -> ApiError:
    """A 403 worded like kube-apiserver's RBAC authorizer."""
    plural = resource.split("/")[0]
    subject = f"{plural}.{group}" if group else plural
    if name:
        subject += f' "{name}"'
    scope = f'in the namespace "{namespace}"' if namespace else "at the cluster scope"
    message = (f'{subject} is forbidden: User "{USER}" cannot {verb} resource "{resource}" '
               f'in API group "{group}" {scope}')
    details: dict[str, str] = {"kind": plural}
    if name:
        details["name"] = name
    if group:
        details["group"] = group
    return ApiError(403, message, "Forbidden", details)
