"""Field lines without a YAML parser, for the plain block style most manifests are written in.

:func:`outline` reads a document's lines into a tree of keys and line numbers; whatever it is not
sure to read exactly as libyaml would (flow collections, anchors, aliases, tags, quoted keys,
multi-line plain or quoted scalars, tabs, other line breaks, directives; anchors and aliases are
read as mapping values only) raises :class:`Unsure`,
and the caller then composes the document with libyaml (``meshctl.sources.lines``). The walk over
the tree is the same as over libyaml's nodes; ``tests/locations/test_block_lines.py`` checks that
both give the same line for every field of the test manifests.

Nodes: ``("m", line, [(key, key_line, value), ...])``, ``("s", line, [item, ...])`` and
``("v", line, text, plain)`` (``text`` None when only libyaml could tell the value).
"""

from __future__ import annotations

import re
from typing import Any

Node = tuple[Any, ...]
_QUOTED = {'"': r'"(?:[^"\\]|\\.)*"', "'": r"'(?:[^']|'')*'"}  # compiled on first use (start-up)
_BLOCK_SCALAR = r"[|>][-+0-9]*(?:\s+#.*)?$"
_NOT_PLAIN = "{[&*!|>%@`?,]}#\"'"
_OTHER_BREAKS = ("\r", "\x85", "\u2028", "\u2029", "\t")


class Unsure(Exception):
    """The text is not in the subset read here: ask libyaml."""


def _lex(text: str) -> tuple[list[int], list[int], list[str]]:
    """Line numbers, indents and contents of the lines with content, up to the next document
    marker; a last row of indent -1 ends them."""
    if any(c in text for c in _OTHER_BREAKS):
        raise Unsure
    numbers: list[int] = []
    indents: list[int] = []
    contents: list[str] = []
    for number, line in enumerate(text.split("\n")):
        content = line.lstrip(" ")
        if not content or content[0] == "#":
            continue
        indent = len(line) - len(content)
        if indent == 0 and (content.startswith(("---", "...")) or content[0] == "%"):
            if contents or content[0] == "%":
                break
            raise Unsure  # a root node on the document marker's line
        numbers.append(number)
        indents.append(indent)
        contents.append(content.rstrip(" "))
    numbers.append(-1)
    indents.append(-1)
    contents.append("")
    return numbers, indents, contents


def _entry(content: str) -> tuple[str, str | None] | None:
    """(key, inline value or None) of a ``key: value`` line; None when it is no mapping entry."""
    at = content.find(": ")
    if at < 0:
        if content[-1] != ":":
            return None
        at = len(content) - 1
    if content[0] in _NOT_PLAIN or content[0] == "-" and (len(content) == 1 or content[1] == " "):
        raise Unsure
    key = content[:at].rstrip(" ")
    if not key or " #" in key:
        raise Unsure
    rest = content[at + 1:].strip(" ")
    return key, (rest if rest and rest[0] != "#" else None)


def _scalar(text: str, line: int) -> Node:
    first = text[0]
    if first in _QUOTED:
        found = re.match(_QUOTED[first], text)
        after = text[found.end():].strip(" ") if found else "x"
        if after and after[0] != "#":
            raise Unsure  # a quoted key, or a quoted scalar going on over lines
        return ("v", line, None, False)
    if first in "{[&*!|>%@`" or first == "-" and (len(text) == 1 or text[1] == " "):
        raise Unsure
    cut = text.find(" #")
    return ("v", line, (text[:cut] if cut >= 0 else text).rstrip(" "), True)


def _is_item(content: str) -> bool:
    return content[:1] == "-" and (len(content) == 1 or content[1] == " ")


class _Reader:
    def __init__(self, text: str) -> None:
        self.numbers, self.indents, self.contents = _lex(text)
        self.i = 0
        self.anchors: dict[str, Node] = {}

    def node(self, parent: int) -> Node:
        """The block node starting at the current row (indented more than ``parent``)."""
        i = self.i
        content = self.contents[i]
        if _is_item(content):
            return self.sequence(self.indents[i])
        if content[0] not in _QUOTED:
            found = _entry(content)
            if found is not None:
                return self.mapping(self.indents[i], found)
        self.i = i + 1
        node = _scalar(content, self.numbers[i])
        if self.indents[i + 1] > parent:
            raise Unsure  # a plain scalar going on over lines
        return node

    def sequence(self, indent: int) -> Node:
        indents, contents = self.indents, self.contents
        start = self.numbers[self.i]
        items: list[Node] = []
        while indents[self.i] == indent:
            i = self.i
            content = contents[i]
            if not _is_item(content):
                break  # the next key of the mapping whose value this sequence is
            if content == "-":
                raise Unsure  # an item on the next lines
            rest = content[2:]
            item = rest.lstrip(" ")
            indents[i], contents[i] = indent + 2 + len(rest) - len(item), item
            items.append(self.node(indent))
        if indents[self.i] > indent:
            raise Unsure
        return ("s", start, items)

    def _alias(self, rest: str, indent: int) -> Node:
        cut = rest.find(" #")
        name = (rest[1:cut] if cut >= 0 else rest[1:]).rstrip(" ")
        if not name or " " in name or name not in self.anchors or self.indents[self.i] > indent:
            raise Unsure
        return self.anchors[name]

    def mapping(self, indent: int, found: tuple[str, str | None] | None = None) -> Node:
        indents, contents, numbers = self.indents, self.contents, self.numbers
        start = numbers[self.i]
        entries: list[tuple[str, int, Node]] = []
        while indents[self.i] == indent:
            i = self.i
            line = numbers[i]
            if found is None:
                found = _entry(contents[i])
                if found is None:
                    raise Unsure
            key, rest = found
            found = None
            self.i = i = i + 1
            value: Node
            anchor = None
            if rest is not None:
                first = rest[0]
                if first == "*":  # an alias: libyaml gives the anchored node itself
                    entries.append((key, line, self._alias(rest, indent)))
                    continue
                if first == "&":
                    anchor, _, rest = rest[1:].partition(" ")
                    rest = rest.strip(" ")
                    if not anchor:
                        raise Unsure
                    if not rest or rest[0] == "#":
                        rest = None
            if rest is None:
                if indents[i] > indent:
                    value = self.node(indent)
                elif indents[i] == indent and _is_item(contents[i]):
                    value = self.sequence(indent)
                else:
                    value = ("v", line, "", True)
            elif rest[0] in "|>":
                if not re.match(_BLOCK_SCALAR, rest):
                    raise Unsure
                while indents[self.i] > indent:
                    self.i += 1
                value = ("v", line, None, False)
            else:
                value = _scalar(rest, line)
                if indents[i] > indent:
                    raise Unsure
            if anchor is not None:
                self.anchors[anchor] = value
            entries.append((key, line, value))
        if indents[self.i] > indent:
            raise Unsure
        return ("m", start, entries)


def outline(text: str) -> Node | None:
    """The tree of a document's first node (None when it has none); :class:`Unsure` when in doubt."""
    reader = _Reader(text)
    if len(reader.contents) == 1:
        return None
    root = reader.node(-1)
    if reader.i != len(reader.contents) - 1:
        raise Unsure
    return root


# -- the walk (as over libyaml's nodes) ----------------------------------------------------

def _child(node: Node | None, key: str) -> Node | None:
    if node is not None and node[0] == "m":
        for k, _, v in node[2]:
            if k == key:
                return v  # type: ignore[no-any-return]
    return None


def _text(node: Node | None, key: str) -> str | None:
    value = _child(node, key)
    if value is None or value[0] != "v":
        return None
    if not value[3]:
        raise Unsure  # a quoted or block scalar: its value needs libyaml
    return value[2]  # type: ignore[no-any-return]


def _is(node: Node, identity: tuple[str, str, str | None]) -> bool:
    kind, name, namespace = identity
    meta = _child(node, "metadata")
    return (_text(node, "kind") == kind and (_text(meta, "name") or _text(meta, "generateName") or "") == name
            and (_text(meta, "namespace") or None) == namespace)


def find_object(root: Node, identity: tuple[str, str, str | None]) -> Node | None:
    """The object itself, or the item of a List that is this object."""
    if _is(root, identity):
        return root
    items = root if root[0] == "s" else _child(root, "items")
    if items is not None and items[0] == "s":
        for item in items[2]:
            found = find_object(item, identity)
            if found is not None:
                return found
    return None


def _key(node: Node, rest: str, exact: bool) -> tuple[str, int, Node] | None:
    best: tuple[str, int, Node] | None = None
    for entry in node[2]:
        text = entry[0]
        if exact:
            if text == rest:
                return entry  # type: ignore[no-any-return]
        elif rest.startswith(text) and (len(rest) == len(text) or rest[len(text)] in ".[") \
                and (best is None or len(text) > len(best[0])):
            best = entry
    return best


def field_line(obj: Node, path: str) -> int:
    """The 0-based line of the deepest field of ``path`` in ``obj`` (see ``lines.field_line``)."""
    node, rest = obj, path
    line: int = obj[1]
    while rest:
        if rest[0] == ".":
            rest = rest[1:]
            continue
        if rest[0] == "[":
            close = rest.find("]")
            if close < 0:
                break
            token, after = rest[1:close], rest[close + 1:]
            if node[0] == "s":
                if not token.isdigit() or int(token) >= len(node[2]):
                    break
                node = node[2][int(token)]
                line, rest = node[1], after
                continue
            pair = _key(node, token, exact=True) if node[0] == "m" else None
            if pair is None:
                break
            line, node, rest = pair[1], pair[2], after
            continue
        pair = _key(node, rest, exact=False) if node[0] == "m" else None
        if pair is None:
            break
        line, node, rest = pair[1], pair[2], rest[len(pair[0]):]
    return line
