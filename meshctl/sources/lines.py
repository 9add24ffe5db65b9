"""Field lines: the line of ``spec.http[0].route[1].destination.host`` in the file a resource came from.

Each file's :class:`FileLines` keeps the lines its documents start on. When a finding names a field
(``Message.path``), the path is walked; the line of the deepest field that exists is the answer (a
missing field points at its parent), the document's line the fallback.

Loading records, for each plain document (no anchor, alias, merge key, directive or key that is not
a string), the line of every mapping key and sequence item in document order (handed to
:meth:`FileLines.record`); the path is then walked in the document's value, counting keys
and items to find their lines. Any other document, or one whose value no longer has the keys and
items recorded, or a file that changed since it was read, is parsed again from its first line, as
nodes with marks, and the path walked in the nodes: both walks give the same line. Recent files'
texts and documents are cached (up to a budget of text), so many findings in one file cost one read.
"""

from __future__ import annotations

import os
import re
from array import array
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable
from functools import cache
from typing import Any

_BREAK = "\r\n|\r|\n|\x85|\u2028|\u2029"  # libyaml's line breaks (compiled only when a file has others)
_TEXT_BUDGET = 64 << 20  # characters of file text kept for lookups, over all files
_RECENT_DOCS = 16
_recent: OrderedDict[int, FileLines] = OrderedDict()
_UNKNOWN: Any = object()  # a recorded walk cannot tell: parse the document again


def _stat(path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


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

    __slots__ = ("path", "doc_lines", "_text", "_keep", "_starts", "_docs", "_records", "_stat",
                 "__weakref__")

    def __init__(self, path: str, text: str | None = None) -> None:
        self.path = path
        self.doc_lines: array[int] = array("l")
        # stdin, pipes and devices cannot be read twice: their text is kept
        self._keep = text is not None
        self._text = text
        self._starts: array[int] | None = None
        self._docs: OrderedDict[int, Any] = OrderedDict()
        self._records: dict[int, _Record] = {}
        # records hold for the file as it was read: a file that changed since is parsed again
        self._stat: tuple[int, int] | None | bool = True if self._keep else _stat(path)

    def add_document(self, line: int) -> None:
        """Record that a document's root starts on ``line`` (1-based), in file order."""
        if not self.doc_lines or self.doc_lines[-1] != line:
            self.doc_lines.append(line)

    def record(self, line: int, value: Any, slots: array[int]) -> None:
        """Keep loading's record of the document starting on ``line``: its value, and the line
        (0-based) of its root and of every mapping key and sequence item, in document order
        (``on_record`` of :func:`meshctl.sources.loading.yaml_documents`)."""
        self._records.setdefault(line, _Record(value, slots))

    def _unchanged(self) -> bool:
        if self._stat is True:
            return True
        if self._stat is None or _stat(self.path) != self._stat:
            self._records.clear()
            self._stat = None
            return False
        self._stat = True  # checked once, when the first finding asks (as the text is read once)
        return True

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
        record = self._records.get(doc_line)
        if record is not None and self._unchanged():
            found = recorded_line(record, identity, path)
            if found is not _UNKNOWN:
                return None if found is None else doc_line + found
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


def walk_path(node: Any, line: int, path: str, item: Callable[[Any, str], Any],
              key: Callable[[Any, str, bool], Any]) -> Any:
    """The line of the deepest field of ``path`` reached from ``node`` (on ``line``).

    Paths are meshctl's: ``spec.http[0].route[1].destination.host``; mapping keys may contain dots
    (``metadata.annotations.sidecar.istio.io/inject``) or be written in brackets (``labels[app]``).
    One step is ``item(node, token)`` for ``[token]`` (NotImplemented when ``node`` is no sequence:
    the token is then a key) and ``key(node, rest, exact)`` for a key; each gives (child, its line,
    the key's text), None where the field does not exist (the walk stops), or _UNKNOWN (given back).
    """
    rest = path
    while rest:
        if rest[0] == ".":
            rest = rest[1:]
            continue
        if rest[0] == "[":
            close = rest.find("]")
            if close < 0:
                break
            token, after = rest[1:close], rest[close + 1:]
            step = item(node, token)
            if step is NotImplemented:
                step = key(node, token, True)
        else:
            step = key(node, rest, False)
            after = rest[len(step[2]):] if isinstance(step, tuple) else rest
        if step is None:
            break
        if step is _UNKNOWN:
            return _UNKNOWN
        node, line, _ = step
        rest = after
    return line


def field_line(obj: Any, path: str) -> int:
    """The 0-based line (relative to the node's document) of the deepest field of ``path`` in ``obj``
    (a node parsed with marks; see :func:`walk_path` for the paths)."""
    import yaml

    def item(node: Any, token: str) -> Any:
        if not isinstance(node, yaml.SequenceNode):
            return NotImplemented
        if not token.isdigit() or int(token) >= len(node.value):
            return None
        child = node.value[int(token)]
        return child, child.start_mark.line, token

    def key(node: Any, rest: str, exact: bool) -> Any:
        pair = _key(node, rest, exact) if isinstance(node, yaml.MappingNode) else None
        return (pair[1], pair[0].start_mark.line, pair[0].value) if pair else None

    return int(walk_path(obj, obj.start_mark.line, path, item, key))


# -- the same walk over a document's value and its recorded lines ------------------------------

class _Record:
    """A document's value, the lines loading recorded for it, and (once asked) where each key and
    item is among them."""

    __slots__ = ("root", "lines", "slots")

    def __init__(self, root: Any, lines: array[int]) -> None:
        self.root = root
        self.lines = lines
        self.slots: dict[int, list[int]] | None = None  # id(collection) -> its keys' or items' slots

    def index(self) -> dict[int, list[int]] | None:
        """The slots of every collection's keys and items, numbered in document order as loading
        recorded them (the root is 0); None when the value no longer has those keys and items, or
        has a key that is not a string (the node walk reads keys as written)."""
        if self.slots is None:
            slots: dict[int, list[int]] = {}
            root = self.root
            count = _number(root, 1, slots) if type(root) is dict or type(root) is list else 1
            self.slots = slots if count == len(self.lines) else {}
            _indexed[id(self)] = self
            while len(_indexed) > _RECENT_DOCS:  # findings come in file order: keep a few indexes
                _indexed.popitem(last=False)[1].slots = None
        else:
            _indexed.move_to_end(id(self))
        return self.slots or None


_indexed: OrderedDict[int, _Record] = OrderedDict()


def _number(value: Any, count: int, slots: dict[int, list[int]]) -> int:
    """Number the keys and items of ``value`` (a mapping or list) from ``count`` on, into ``slots``;
    the next number. (Loading offers no record of a document with a key that is not a string.)"""
    own: list[int] = []
    slots[id(value)] = own
    append = own.append
    for v in value.values() if type(value) is dict else value:
        append(count)
        count += 1
        if v and (type(v) is dict or type(v) is list):
            count = _number(v, count, slots)
    return count


def _text(value: Any) -> Any:
    """A scalar's text as the node walk sees it: None for collections, _UNKNOWN when the value
    (a number, boolean or null) does not keep how it was written."""
    if isinstance(value, str):
        return value
    if isinstance(value, (dict, list)):
        return None
    return _UNKNOWN


def _value_is(value: Any, identity: tuple[str, str, str | None]) -> Any:
    """:func:`_is` over a value: True, False or _UNKNOWN."""
    if not isinstance(value, dict):
        return False
    kind = _text(value["kind"]) if "kind" in value else None
    meta = value.get("metadata")
    if isinstance(meta, dict):
        texts = [kind, *(_text(meta[key]) if key in meta else None for key in ("name", "generateName", "namespace"))]
    else:
        texts = [kind, None, None, None]
    if _UNKNOWN in texts:
        return _UNKNOWN
    kind_text, name, generate, namespace = texts
    want_kind, want_name, want_namespace = identity
    return kind_text == want_kind and (name or generate or "") == want_name and (namespace or None) == want_namespace


def _find_value(value: Any, slot: int, identity: tuple[str, str, str | None],
                slots: dict[int, list[int]]) -> Any:
    """:func:`_find_object` over a value: (the object, its slot), None, or _UNKNOWN."""
    match = _value_is(value, identity)
    if match is _UNKNOWN or match:
        return _UNKNOWN if match is _UNKNOWN else (value, slot)
    items = value if isinstance(value, list) else value.get("items") if isinstance(value, dict) else None
    if isinstance(items, list) and items:
        own = slots.get(id(items))
        if own is None or len(own) != len(items):
            return _UNKNOWN
        for item, item_slot in zip(items, own, strict=False):
            found = _find_value(item, item_slot, identity, slots)
            if found is not None:
                return found
    return None


def recorded_line(record: _Record, identity: tuple[str, str, str | None], path: str) -> Any:
    """:meth:`FileLines.line_of` (relative to the document's line) from a document's value and the
    lines loading recorded for it; _UNKNOWN when they no longer agree (or a scalar's text matters
    that the value does not keep)."""
    slots = record.index()
    if slots is None:
        return _UNKNOWN
    found = _find_value(record.root, 0, identity, slots)
    if found is None or found is _UNKNOWN:
        return found
    node, slot = found
    lines = record.lines

    def item(node: Any, token: str) -> Any:
        if not isinstance(node, list):
            return NotImplemented
        if not token.isdigit() or int(token) >= len(node):
            return None
        own = slots.get(id(node))
        if own is None or len(own) != len(node):
            return _UNKNOWN
        return node[int(token)], lines[own[int(token)]], token

    def key(node: Any, rest: str, exact: bool) -> Any:
        pair = _value_key(node, slots, rest, exact) if isinstance(node, dict) else None
        if not isinstance(pair, tuple):
            return pair
        key_slot, child, text = pair
        return child, lines[key_slot], text

    line = walk_path(node, lines[slot], path, item, key)
    return line if line is _UNKNOWN else line - lines[0]


def _value_key(node: dict[str, Any], slots: dict[int, list[int]], rest: str, exact: bool) -> Any:
    """:func:`_key` over a mapping value: (the key's slot, its value, the key), None, or _UNKNOWN
    (the mapping changed since it was numbered). Not exact: the longest key that ``rest`` starts
    with, followed by ``.``, ``[`` or nothing (``rest`` does not start with either)."""
    if not node:
        return None
    own = slots.get(id(node))
    if own is None or len(own) != len(node):
        return _UNKNOWN
    if exact:
        text = rest if rest in node else None
    else:
        text = rest if rest in node else None
        end = len(rest)
        while text is None:
            end = max(rest.rfind(".", 0, end), rest.rfind("[", 0, end))
            if end <= 0:
                return None
            if rest[:end] in node:
                text = rest[:end]
    if text is None:
        return None
    return own[list(node).index(text)], node[text], text
