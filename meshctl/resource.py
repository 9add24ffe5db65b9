"""A resource read from a file or the cluster, with where it came from."""

from __future__ import annotations

from typing import Any, Protocol

from meshctl.kinds import group_of, kind_key, lookup
from meshctl.record import Record


class LineSource(Protocol):
    """Finds the line of a field in the file a resource was read from (``meshctl.sources.lines``)."""

    def line_of(self, doc_line: int, identity: tuple[str, str, str | None], path: str) -> int | None:
        """The line of ``path`` in the object ``identity`` (kind, name, namespace) of the document
        starting on ``doc_line``, or None."""


class Origin(Record):
    """Where a resource came from: a file and line, or a cluster object (read-only).

    ``lines`` (files only) finds the line of a field inside the document, for findings that name
    one (see :meth:`at_field`); it takes no part in equality."""

    __slots__ = ("path", "line", "cluster", "lines")
    _unshown = ("lines",)

    def __init__(self, path: str | None = None, line: int | None = None, cluster: str | None = None,
                 lines: LineSource | None = None) -> None:
        self.path = path
        self.line = line
        self.cluster = cluster
        self.lines = lines

    def _identity(self) -> tuple[str | None, int | None, str | None]:
        return (self.path, self.line, self.cluster)

    def location(self) -> str:
        """``file:line`` for files, empty for cluster objects."""
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line else self.path

    def at_field(self, identity: tuple[str, str, str | None], field_path: str | None) -> Origin:
        """This origin pointing at a field of the object (its document's line when the field
        cannot be located). The result keeps no line source."""
        line = self.line
        if field_path and self.lines is not None and self.line:
            line = self.lines.line_of(self.line, identity, field_path) or self.line
        if self.lines is None and line == self.line:
            return self
        return Origin(path=self.path, line=line, cluster=self.cluster)


class Resource(Record):
    """One Kubernetes object (read-only). ``body`` is the parsed document; equality and hashing
    use the identity (apiVersion, kind, name, namespace) only."""

    __slots__ = ("api_version", "kind", "name", "namespace", "body", "origin")
    _unshown = ("body",)

    def __init__(self, api_version: str, kind: str, name: str, namespace: str | None, body: dict[str, Any],
                 origin: Origin | None = None) -> None:
        self.api_version = api_version
        self.kind = kind
        self.name = name
        self.namespace = namespace
        self.body = body
        self.origin = origin if origin is not None else Origin()

    def _identity(self) -> tuple[str, str, str, str | None]:
        return (self.api_version, self.kind, self.name, self.namespace)

    @classmethod
    def from_dict(cls, body: dict[str, Any], origin: Origin | None = None) -> Resource:
        """Build a Resource from a decoded manifest."""
        meta = body.get("metadata")
        meta = meta if isinstance(meta, dict) else {}
        return cls(
            api_version=str(body.get("apiVersion", "")),
            kind=str(body.get("kind", "")),
            name=str(meta.get("name") or meta.get("generateName") or ""),
            namespace=str(meta.get("namespace") or "") or None,
            body=body,
            origin=origin or Origin(),
        )

    @property
    def key(self) -> str:
        """The kind key (``KubernetesGateway`` for the Gateway API's Gateway)."""
        return kind_key(self.api_version, self.kind)

    @property
    def group(self) -> str:
        """The API group."""
        return group_of(self.api_version)

    @property
    def metadata(self) -> dict[str, Any]:
        """``metadata``, or an empty dict."""
        meta = self.body.get("metadata")
        return meta if isinstance(meta, dict) else {}

    @property
    def labels(self) -> dict[str, str]:
        """``metadata.labels``, or an empty dict."""
        return self.metadata.get("labels") or {}

    @property
    def annotations(self) -> dict[str, str]:
        """``metadata.annotations``, or an empty dict."""
        return self.metadata.get("annotations") or {}

    @property
    def spec(self) -> dict[str, Any]:
        """``spec``, or an empty dict."""
        spec = self.body.get("spec")
        return spec if isinstance(spec, dict) else {}

    @property
    def namespaced(self) -> bool:
        """Whether the kind lives in a namespace."""
        info = lookup(self.key)
        return info.namespaced if info else self.namespace is not None

    def friendly_name(self) -> str:
        """istioctl's origin form: ``Kind ns/name``, or ``Kind name`` without a namespace."""
        if self.namespace:
            return f"{self.kind} {self.namespace}/{self.name}"
        return f"{self.kind} {self.name}"

    def ref(self) -> str:
        """``ns/name``, or ``name`` without a namespace."""
        return f"{self.namespace}/{self.name}" if self.namespace else self.name
