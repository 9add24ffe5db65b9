"""A finding: one message about one resource."""

from __future__ import annotations

from meshctl.catalogue import Level, message_type
from meshctl.record import Record
from meshctl.resource import Origin, Resource


class Message(Record):
    """A rendered finding with its catalogue entry and the resource it is about (read-only;
    ``origin_info`` takes no part in equality)."""

    __slots__ = ("code", "level", "text", "origin", "analyzer", "origin_info", "kind", "namespace", "name", "path")

    def __init__(self, code: str, level: Level, text: str, origin: str, analyzer: str = "",
                 origin_info: Origin | None = None, kind: str = "", namespace: str | None = None, name: str = "",
                 path: str | None = None) -> None:
        self.code = code
        self.level = level
        self.text = text
        self.origin = origin
        self.analyzer = analyzer
        self.origin_info = origin_info if origin_info is not None else Origin()
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.path = path

    def _identity(self) -> tuple[object, ...]:
        return (self.code, self.level, self.text, self.origin, self.analyzer, self.kind, self.namespace, self.name,
                self.path)

    def with_analyzer(self, analyzer: str) -> Message:
        """The same message, attributed to ``analyzer``."""
        return Message(self.code, self.level, self.text, self.origin, analyzer, self.origin_info, self.kind,
                       self.namespace, self.name, self.path)

    @classmethod
    def build(cls, code: str, resource: Resource | None, params: dict[str, object],
              analyzer: str = "", path: str | None = None, origin: str | None = None) -> Message:
        """Render a message from the catalogue for a resource (or a named origin)."""
        mtype = message_type(code)
        # the origin points at the field the message is about, when the file can show it
        res_origin = resource.origin.at_field((resource.kind, resource.name, resource.namespace), path) \
            if resource else Origin()
        return cls(
            code=code,
            level=mtype.level,
            text=mtype.render(params),
            origin=origin or (resource.friendly_name() if resource else ""),
            analyzer=analyzer,
            origin_info=res_origin,
            kind=resource.kind if resource else "",
            namespace=resource.namespace if resource else None,
            name=resource.name if resource else "",
            path=path,
        )

    @property
    def reference(self) -> str:
        """``file:line`` for findings from files, empty for cluster objects."""
        return self.origin_info.location()

    def dedup_key(self) -> tuple[object, ...]:
        """What makes two messages the same (istioctl: level, code, origin and text)."""
        return (self.level, self.code, self.origin, self.origin_info.path, self.origin_info.line, self.text)

    @property
    def name_of_type(self) -> str:
        """The catalogue name (``ReferencedResourceNotFound``)."""
        return message_type(self.code).name

    @property
    def documentation_url(self) -> str:
        """The message's documentation page."""
        return message_type(self.code).documentation_url

    def rendered(self) -> str:
        """istioctl's line form, also the de-duplication key."""
        where = f"{self.origin} {self.reference}".strip()
        return f"{self.level.label} [{self.code}] ({where}) {self.text}"
