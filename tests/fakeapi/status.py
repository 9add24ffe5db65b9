"""Kubernetes Status objects and the errors that carry them."""

from __future__ import annotations

from typing import Any

REASONS = {
    400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 405: "MethodNotAllowed",
    406: "NotAcceptable", 409: "AlreadyExists", 410: "Expired", 415: "UnsupportedMediaType",
    422: "Invalid", 429: "TooManyRequests", 500: "InternalError", 502: "InternalError",
    503: "ServiceUnavailable", 504: "Timeout",
}


def status_body(code: int, message: str, reason: str | None = None,
                details: dict[str, Any] | None = None) -> dict[str, Any]:
    """A failure Status as kube-apiserver writes it."""
    body: dict[str, Any] = {
        "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": message, "reason": reason or REASONS.get(code, ""), "code": code,
    }
    if details is not None:
        body["details"] = details
    return body


def success_body(name: str, kind: str, uid: str, group: str = "") -> dict[str, Any]:
    """The Success Status a DELETE answers with when the object is gone at once."""
    details = {"name": name, "kind": kind, "uid": uid}
    if group:
        details["group"] = group
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "details": details}


class ApiError(Exception):
    """An error the server answers with a Status body."""

    def __init__(self, code: int, message: str, reason: str | None = None,
                 details: dict[str, Any] | None = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.body = status_body(code, message, reason, details)
        self.headers = headers or {}


def _details(plural: str, group: str, name: str) -> dict[str, Any]:
    details: dict[str, Any] = {"name": name, "kind": plural}
    if group:
        details["group"] = group
    return details


def _qualified(plural: str, group: str) -> str:
    return f"{plural}.{group}" if group else plural


def not_found(plural: str, group: str, name: str) -> ApiError:
    """404 for a named object."""
    return ApiError(404, f'{_qualified(plural, group)} "{name}" not found', "NotFound",
                    _details(plural, group, name))


def already_exists(plural: str, group: str, name: str) -> ApiError:
    """409 AlreadyExists on create."""
    return ApiError(409, f'{_qualified(plural, group)} "{name}" already exists', "AlreadyExists",
                    _details(plural, group, name))


def conflict(plural: str, group: str, name: str, why: str) -> ApiError:
    """409 Conflict (stale resourceVersion, apply conflicts)."""
    msg = f'Operation cannot be fulfilled on {_qualified(plural, group)} "{name}": {why}'
    return ApiError(409, msg, "Conflict", _details(plural, group, name))


def invalid(kind: str, group: str, name: str, field: str, why: str, value: Any = None) -> ApiError:
    """422 Invalid with one cause."""
    cause = {"reason": "FieldValueRequired" if value is None else "FieldValueInvalid",
             "message": why, "field": field}
    details = {"name": name, "kind": kind, "causes": [cause]}
    if group:
        details["group"] = group
    shown = f"{kind}.{group}" if group else kind
    return ApiError(422, f'{shown} "{name}" is invalid: {field}: {why}', "Invalid", details)


def bad_request(message: str) -> ApiError:
    """400 BadRequest."""
    return ApiError(400, message, "BadRequest")


def method_not_allowed(message: str = "the server does not allow this method on the requested resource"
                       ) -> ApiError:
    """405 MethodNotAllowed."""
    return ApiError(405, message, "MethodNotAllowed", {})


def gone(message: str) -> ApiError:
    """410 Expired (continue token or watch resourceVersion too old)."""
    return ApiError(410, message, "Expired")
