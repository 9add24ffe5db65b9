"""Pure request building: paths, query strings, bodies. No I/O, no ``kubernetes`` import."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from meshctl.conventions import selectors

FIELD_MANAGER = "meshctl"
PAGE_SIZE = 500
JSON = "application/json"
AGGREGATED_DISCOVERY = ("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
                        "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,"
                        "application/json")
"""Accept header asking for aggregated discovery (one document per root), plain JSON as the fallback."""
MERGE_PATCH = "application/merge-patch+json"
STRATEGIC_PATCH = "application/strategic-merge-patch+json"
APPLY_PATCH = "application/apply-patch+yaml"


@dataclass(frozen=True)
class ApiRequest:
    """One HTTP request to the API server. ``idempotent`` requests may be retried."""

    method: str
    path: str
    query: tuple[tuple[str, str], ...] = ()
    body: Any = None
    content_type: str | None = None
    idempotent: bool = True
    accept: str = JSON

    def describe(self) -> str:
        """``GET /api/v1/pods`` (never the body: it may hold Secret data)."""
        return f"{self.method} {self.path}"


@dataclass(frozen=True)
class Target:
    """Where a resource type is served."""

    group: str
    version: str
    plural: str
    namespaced: bool = True


def api_prefix(group: str, version: str) -> str:
    """``/api/v1`` for the core group, ``/apis/<group>/<version>`` otherwise."""
    return f"/api/{version}" if not group else f"/apis/{group}/{version}"


def resource_path(target: Target, namespace: str | None = None, name: str | None = None,
                  subresource: str | None = None) -> str:
    """The REST path of a collection or an object."""
    parts = [api_prefix(target.group, target.version)]
    if target.namespaced and namespace:
        parts.append(f"namespaces/{quote(namespace, safe='')}")
    parts.append(target.plural)
    if name:
        parts.append(quote(name, safe=""))
        if subresource:
            parts.append(subresource)
    return "/".join(parts)


def selector_string(selector: str | Mapping[str, str] | None) -> str | None:
    """A label/field selector as the API wants it: a string, or ``k=v,...`` from a mapping."""
    if selector is None or isinstance(selector, str):
        return selector or None
    return selectors.to_string(selector) or None


def _dry(dry_run: bool) -> tuple[tuple[str, str], ...]:
    return (("dryRun", "All"),) if dry_run else ()


def list_request(target: Target, namespace: str | None = None, label_selector: Any = None,
                 field_selector: Any = None, continue_token: str | None = None,
                 limit: int = PAGE_SIZE) -> ApiRequest:
    """One page of a LIST."""
    query: list[tuple[str, str]] = [("limit", str(limit))]
    for key, value in (("labelSelector", selector_string(label_selector)),
                       ("fieldSelector", selector_string(field_selector)),
                       ("continue", continue_token)):
        if value:
            query.append((key, value))
    return ApiRequest("GET", resource_path(target, namespace), tuple(query))


def get_request(target: Target, name: str, namespace: str | None = None) -> ApiRequest:
    """GET one object."""
    return ApiRequest("GET", resource_path(target, namespace, name))


def create_request(target: Target, obj: Mapping[str, Any], namespace: str | None,
                   dry_run: bool = False) -> ApiRequest:
    """POST a new object (not idempotent: never retried)."""
    return ApiRequest("POST", resource_path(target, namespace), _dry(dry_run), dict(obj), JSON,
                      idempotent=False)


def patch_request(target: Target, name: str, patch: Mapping[str, Any], content_type: str,
                  namespace: str | None = None, dry_run: bool = False) -> ApiRequest:
    """PATCH with a merge or strategic-merge patch (not retried)."""
    return ApiRequest("PATCH", resource_path(target, namespace, name), _dry(dry_run), dict(patch),
                      content_type, idempotent=False)


def apply_request(target: Target, obj: Mapping[str, Any], namespace: str | None,
                  dry_run: bool = False, force: bool = True) -> ApiRequest:
    """Server-side apply with field manager ``meshctl`` (idempotent: may be retried)."""
    name = str((obj.get("metadata") or {}).get("name") or "")
    query = [("fieldManager", FIELD_MANAGER), *_dry(dry_run)]
    if force:
        query.append(("force", "true"))
    return ApiRequest("PATCH", resource_path(target, namespace, name), tuple(query), dict(obj),
                      APPLY_PATCH, idempotent=True)


def delete_request(target: Target, name: str, namespace: str | None = None,
                   dry_run: bool = False) -> ApiRequest:
    """DELETE one object (not retried: a retry after success would answer 404)."""
    return ApiRequest("DELETE", resource_path(target, namespace, name), _dry(dry_run),
                      idempotent=False)


def access_review_request(verb: str, resource: str, group: str = "", namespace: str | None = None,
                          subresource: str | None = None, name: str | None = None) -> ApiRequest:
    """A SelfSubjectAccessReview: may the current user do ``verb`` on ``resource``?"""
    attrs = {"verb": verb, "resource": resource, "group": group}
    for key, value in (("namespace", namespace), ("subresource", subresource), ("name", name)):
        if value:
            attrs[key] = value
    body = {"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview",
            "spec": {"resourceAttributes": attrs}}
    return ApiRequest("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", (), body,
                      JSON, idempotent=True)


def discovery_requests() -> tuple[ApiRequest, ApiRequest]:
    """The two roots of discovery, asking for aggregated discovery (older servers answer the legacy lists)."""
    return (ApiRequest("GET", "/api", accept=AGGREGATED_DISCOVERY),
            ApiRequest("GET", "/apis", accept=AGGREGATED_DISCOVERY))
