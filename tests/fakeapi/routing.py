"""Request paths parsed into routes, and the responses handlers return."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .status import ApiError

NAMESPACE_SUBRESOURCES = {"status", "finalize"}


@dataclass
class Response:
    """A complete reply; ``stream`` (chunks) replaces ``body`` for watches."""

    status: int = 200
    body: Any = None
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    stream: Iterator[bytes] | None = None

    def payload(self) -> bytes:
        """The encoded body."""
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body, separators=(",", ":")).encode()


def error_response(err: ApiError) -> Response:
    """A Status reply for an ApiError."""
    return Response(err.code, err.body, headers=dict(err.headers))


@dataclass(frozen=True)
class Route:
    """A resource request: /api(s)/<gv>[/namespaces/<ns>]/<plural>[/<name>[/<sub>]]."""

    group: str
    version: str
    plural: str
    namespace: str = ""
    name: str = ""
    subresource: str = ""


@dataclass(frozen=True)
class Discovery:
    """A discovery request: kind is one of api, apis, group, resources."""

    kind: str
    group: str = ""
    version: str = ""


def _resource_route(group: str, version: str, rest: list[str]) -> Route | None:
    namespace = ""
    if rest[0] == "namespaces" and len(rest) >= 3 and rest[2] not in NAMESPACE_SUBRESOURCES:
        namespace, rest = rest[1], rest[2:]
    if len(rest) > 3:
        return None
    plural, name, sub = (rest + ["", ""])[:3]
    return Route(group, version, plural, namespace, name, sub)


def parse_path(path: str) -> Route | Discovery | None:
    """Classify a URL path; None when it is not an API path."""
    parts = [p for p in path.split("/") if p]
    if not parts:
        return None
    if parts[0] == "api":
        if len(parts) == 1:
            return Discovery("api")
        if len(parts) == 2:
            return Discovery("resources", "", parts[1])
        return _resource_route("", parts[1], parts[2:])
    if parts[0] == "apis":
        if len(parts) == 1:
            return Discovery("apis")
        if len(parts) == 2:
            return Discovery("group", parts[1])
        if len(parts) == 3:
            return Discovery("resources", parts[1], parts[2])
        return _resource_route(parts[1], parts[2], parts[3:])
    return None


TRUE_VALUES = {"1", "t", "T", "true", "TRUE", "True"}


@dataclass
class Request:
    """What the handler read off the wire."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes = b""

    def flag(self, name: str) -> bool:
        """A boolean query parameter, parsed like Go's strconv.ParseBool."""
        return self.query.get(name, "") in TRUE_VALUES

    @property
    def content_type(self) -> str:
        """The media type of the body, without parameters."""
        return self.headers.get("content-type", "application/json").split(";")[0].strip().lower()

    @property
    def dry_run(self) -> bool:
        """``dryRun=All``; any other value is a 400."""
        value = self.query.get("dryRun")
        if value is None:
            return False
        if value != "All":
            raise ApiError(400, f'Invalid dryRun value: "{value}"; supported values: "All"', "BadRequest")
        return True

    def decoded(self) -> Any:
        """The body as JSON (or YAML for apply patches and YAML bodies); 400 when undecodable."""
        import yaml

        if not self.body:
            raise ApiError(400, "the body of the request was empty", "BadRequest")
        try:
            if "yaml" in self.content_type:
                return yaml.safe_load(self.body)
            return json.loads(self.body)
        except (ValueError, yaml.YAMLError) as exc:
            raise ApiError(400, f"the object provided is unrecognized ({exc})", "BadRequest") from exc
