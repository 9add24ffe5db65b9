"""Field lines: the line of ``spec.http[0].route[1].destination.host`` in the file a resource came from.

Loading records nothing per field (the loader stays as fast and small as before): each file's
:class:`FileLines` keeps only the lines its documents start on. When a finding names a field
(``Message.path``), the document is parsed again from its first line, as nodes with marks, and
the path is walked; the line of the deepest field that exists is the answer (a missing field
points at its parent), the document's line the fallback. Recent files' texts and documents are
cached (up to a budget of text), so many findings in one file cost one read.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections import OrderedDict
from functools import cache
from typing import Any

_BREAK = "\r\n|\r|\n|\x85|\u2028|\u2029"  # libyaml's line breaks (compiled only when a file has others)
_TEXT_BUDGET = 64 << 20  # characters of file text kept for lookups, over all files
_RECENT_DOCS = 16
_recent: OrderedDict[int, FileLines] = OrderedDict()


@cache
def _loader() -> type:
    """A loader that composes nodes only for their marks and keys: tags are not resolved (that
    costs a Python call per scalar, most of the work). PyYAML is imported on the first lookup."""
    import yaml

    class _NodeLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
            return ""

        def descend_resolver(self, current_node: Any, current_index: Any) -> None:
            return None

        def ascend_resolver(self) -> None:
            return None

    return _NodeLoader


class FileLines:
    """The line source of one input file (shared by every resource read from it)."""

    __slots__ = ("path", "doc_lines", "_text", "_keep", "_starts", "_docs", "__weakref__")

    def __init__(self, path: str, text: str | None = None) -> None:
        self.path = path
        self.doc_lines: array[int] = array("l")
        # stdin, pipes and devices cannot be read twice: their text is kept
        self._keep = text is not None
        self._text = text
        self._starts: array[int] | None = None
        self._docs: OrderedDict[int, Any] = OrderedDict()

    def add_document(self, line: int) -> None:
        """Record that a document's root starts on ``line`` (1-based), in file order."""
        if not self.doc_lines or self.doc_lines[-1] != line:
            self.doc_lines.append(line)

    # -- text ------------------------------------------------------------------------------

    def _read(self) -> str | None:
        if self._text is not None:
            return self._text
        from meshctl.sources import loading

        try:
            self._text = loading.read_text(self.path)
        except Exception:  # noqa: BLE001 - a file that changed or vanished: fall back to document lines
            return None
        _recent[id(self)] = self
        kept = sum(len(f._text or "") for f in _recent.values())
        while kept > _TEXT_BUDGET and len(_recent) > 1:
            _, old = _recent.popitem(last=False)
            kept -= len(old._text or "")
            old._forget()
        return self._text

    def _forget(self) -> None:
        if not self._keep:
            self._text = None
            self._starts = None
            self._docs.clear()

    def _line_starts(self, text: str) -> array[int]:
        if self._starts is None:
            starts = array("l", [0])
            if "\r" in text or "\x85" in text or "\u2028" in text or "\u2029" in text:
                starts.extend(m.end() for m in re.finditer(_BREAK, text))
            else:  # plain newlines: the fast path
                position = text.find("\n")
                while position >= 0:
                    starts.append(position + 1)
                    position = text.find("\n", position + 1)
            self._starts = starts
        return self._starts

    # -- documents -------------------------------------------------------------------------

    def _document(self, line: int) -> Any:
        """The root node of the document starting on ``line`` (1-based), or None."""
        import yaml

        if line in self._docs:
            self._docs.move_to_end(line)
            return self._docs[line]
        text = self._read()
        if text is None:
            return None
        starts = self._line_starts(text)
        if not 0 < line <= len(starts):
            return None
        after = bisect_right(self.doc_lines, line)
        following = self.doc_lines[after] if after < len(self.doc_lines) else 0
        end = starts[following - 1] if 0 < following <= len(starts) else len(text)
        try:
            loader = _loader()(text[starts[line - 1]:end])
            try:
                node = loader.get_node() if loader.check_node() else None
            finally:
                loader.dispose()
        except yaml.YAMLError:
            node = None
        self._docs[line] = node
        while len(self._docs) > _RECENT_DOCS:
            self._docs.popitem(last=False)
        return node

    def line_of(self, doc_line: int, identity: tuple[str, str, str | None], path: str) -> int | None:
        """The line (1-based) of ``path`` in the object ``identity`` (kind, name, namespace) of the
        document starting on ``doc_line``; None when the document cannot be read back."""
        root = self._document(doc_line)
        obj = _find_object(root, identity) if root is not None else None
        if obj is None:
            return None
        return doc_line + field_line(obj, path)


def _scalar(node: Any, key: str) -> str | None:
    import yaml

    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return v.value if isinstance(v, yaml.ScalarNode) else None
    return None


def _child(node: Any, key: str) -> Any:
    import yaml

    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return v
    return None


def _is(node: Any, identity: tuple[str, str, str | None]) -> bool:
    kind, name, namespace = identity
    meta = _child(node, "metadata")
    return (_scalar(node, "kind") == kind and (_scalar(meta, "name") or _scalar(meta, "generateName") or "") == name
            and (_scalar(meta, "namespace") or None) == namespace)


def _find_object(root: Any, identity: tuple[str, str, str | None]) -> Any:
    """The object itself, or the item of a List (or JSON array) that is this object."""
    import yaml

    if _is(root, identity):
        return root
    items = root if isinstance(root, yaml.SequenceNode) else _child(root, "items")
    if isinstance(items, yaml.SequenceNode):
        for item in items.value:
            found = _find_object(item, identity)
            if found is not None:
                return found
    return None


def _key(node: Any, rest: str, exact: bool) -> tuple[Any, Any] | None:
    """The (key, value) pair of a mapping that ``rest`` starts with (the longest such key)."""
    import yaml

    best: tuple[Any, Any] | None = None
    for k, v in node.value:
        if not isinstance(k, yaml.ScalarNode):
            continue
        text = k.value
        if exact:
            if text == rest:
                return k, v
        elif rest.startswith(text) and (len(rest) == len(text) or rest[len(text)] in ".[") \
                and (best is None or len(text) > len(best[0].value)):
            best = (k, v)
    return best


def field_line(obj: Any, path: str) -> int:
    """The 0-based line (relative to the node's document) of the deepest field of ``path`` in ``obj``.

    Paths are meshctl's: ``spec.http[0].route[1].destination.host``; mapping keys may contain dots
    (``metadata.annotations.sidecar.istio.io/inject``) or be written in brackets (``labels[app]``).
    """
    import yaml

    node, rest = obj, path
    line: int = obj.start_mark.line
    while rest:
        if rest[0] == ".":
            rest = rest[1:]
            continue
        if rest[0] == "[":
            close = rest.find("]")
            if close < 0:
                break
            token, after = rest[1:close], rest[close + 1:]
            if isinstance(node, yaml.SequenceNode):
                if not token.isdigit() or int(token) >= len(node.value):
                    break
                node = node.value[int(token)]
                line, rest = node.start_mark.line, after
                continue
            pair = _key(node, token, exact=True) if isinstance(node, yaml.MappingNode) else None
            if pair is None:
                break
            line, node, rest = pair[0].start_mark.line, pair[1], after
            continue
        pair = _key(node, rest, exact=False) if isinstance(node, yaml.MappingNode) else None
        if pair is None:
            break
        line, node, rest = pair[0].start_mark.line, pair[1], rest[len(pair[0].value):]
    return line
