"""LIST (selectors, limit/continue) and WATCH (chunked JSON event stream)."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable, Iterator
from typing import Any

from .faults import Faults
from .resources import ResourceType
from .routing import Request, Response, Route
from .selectors import SelectorError, field_selector, label_selector
from .status import ApiError, bad_request, gone
from .store import Obj, Store

DEFAULT_WATCH_SECONDS = 1800


def matcher(req: Request) -> Callable[[Obj], bool]:
    """The labelSelector and fieldSelector of a request as one predicate; 400 when unparsable."""
    try:
        labels = label_selector(req.query.get("labelSelector"))
        fields = field_selector(req.query.get("fieldSelector"))
    except SelectorError as exc:
        raise bad_request(str(exc)) from exc
    return lambda obj: labels((obj.get("metadata") or {}).get("labels") or {}) and fields(obj)


def encode_continue(rv: int, start: str) -> str:
    """An opaque continue token, shaped like the real one."""
    raw = json.dumps({"v": "meta.k8s.io/v1", "rv": rv, "start": start}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_continue(token: str) -> tuple[int, str]:
    """(rv, start key) of a continue token; 400 when malformed."""
    try:
        padded = token + "=" * (-len(token) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded))
        return int(data["rv"]), str(data["start"])
    except (ValueError, KeyError, TypeError) as exc:
        raise bad_request(f"continue key is not valid: {exc}") from exc


def _key(obj: Obj) -> str:
    meta = obj.get("metadata") or {}
    return f"{meta.get('namespace', '')}/{meta.get('name', '')}"


def _limit(req: Request) -> int:
    try:
        return max(0, int(req.query.get("limit", "0") or 0))
    except ValueError as exc:
        raise bad_request(f"invalid limit: {req.query['limit']}") from exc


def _page(items: list[Obj], req: Request, faults: Faults, rv: int) -> tuple[list[Obj], dict[str, Any]]:
    token = req.query.get("continue")
    if token:
        if req.query.get("resourceVersion") not in (None, ""):
            raise bad_request("specifying resource version is not allowed when using continue")
        rv, start = decode_continue(token)
        if faults.take_gone():
            raise gone("The provided continue parameter is too old to display a consistent list result. "
                       "You can start a new list without the continue parameter, or use the continue "
                       "token in this response to retrieve the remainder of the results. Continuing with "
                       "the provided token results in an inconsistent list - objects that were created, "
                       "modified, or deleted between the time the first chunk was returned and now may "
                       "show up in the list.")
        items = [i for i in items if _key(i) > start]
    meta: dict[str, Any] = {"resourceVersion": str(rv)}
    limit = _limit(req)
    if limit and len(items) > limit:
        meta["continue"] = encode_continue(rv, _key(items[limit - 1]))
        meta["remainingItemCount"] = len(items) - limit
        items = items[:limit]
    return items, meta


def list_objects(store: Store, faults: Faults, rt: ResourceType, route: Route, req: Request) -> Response:
    """A <Kind>List; built-in items carry no apiVersion/kind, custom resources keep theirs."""
    match = matcher(req)
    items, rv = store.list(rt, route.namespace or None, copies=False)
    items = [i for i in items if match(i)]
    items, meta = _page(items, req, faults, rv)
    items = [store.shown(rt, i) for i in items]
    if store.registry.is_builtin(rt):
        for item in items:
            item.pop("apiVersion", None)
            item.pop("kind", None)
    body = {"kind": f"{rt.kind}List", "apiVersion": rt.group_version, "metadata": meta, "items": items}
    return Response(200, body)


def _event_line(kind: str, obj: Obj) -> bytes:
    return json.dumps({"type": kind, "object": obj}, separators=(",", ":")).encode() + b"\n"


def _start_rv(req: Request) -> int | None:
    """The RV to watch from; None means "send the current state first"."""
    value = req.query.get("resourceVersion", "")
    if value in ("", "0"):
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise bad_request(f'invalid resource version: "{value}"') from exc


def watch(store: Store, rt: ResourceType, route: Route, req: Request,
          stopped: Callable[[], bool]) -> Response:
    """A chunked stream of watch events, ending after timeoutSeconds."""
    match = matcher(req)
    try:
        seconds = float(req.query.get("timeoutSeconds") or DEFAULT_WATCH_SECONDS)
    except ValueError as exc:
        raise bad_request("invalid timeoutSeconds") from exc
    since = _start_rv(req)

    def stream() -> Iterator[bytes]:
        deadline = time.monotonic() + seconds
        start = since
        if start is None:
            items, start = store.list(rt, route.namespace or None)
            for item in items:
                if match(item):
                    yield _event_line("ADDED", item)
        for event in store.events_after(rt, route.namespace or None, start, deadline, stopped):
            if match(event.obj):
                yield _event_line(event.type, event.obj)

    return Response(200, stream=stream())


def ensure_listable(rt: ResourceType, verb: str) -> None:
    """405 when the type does not support ``verb``."""
    if verb not in rt.verbs:
        raise ApiError(405, "the server does not allow this method on the requested resource",
                       "MethodNotAllowed", {})
