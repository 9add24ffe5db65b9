"""Read Kubernetes resources from files, directories and stdin, keeping file:line."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from meshctl.env import current
from meshctl.errors import InputError
from meshctl.resource import Origin, Resource
from meshctl.sources import loading
from meshctl.sources.lines import FileLines
from meshctl.sources.shape import check_object, list_items

SUFFIXES = (".yaml", ".yml", ".json")
_DOC_MARKER = re.compile(r"^---(?:\s|$)")
_DOC_END = re.compile(r"^\.\.\.\s*$")


class Document(NamedTuple):
    """One YAML document's text and the line (1-based) it starts on."""

    text: str
    first_line: int


def expand_paths(paths: Iterable[str]) -> list[str]:
    """Files to read: directories are walked recursively; ``-`` means stdin."""
    files: list[str] = []
    for raw in paths:
        if raw == "-":
            files.append("-")
            continue
        path = Path(raw)
        if path.is_dir():
            found = [str(p) for p in sorted(path.rglob("*")) if p.is_file() and p.suffix in SUFFIXES]
            if not found:
                raise InputError(f"no .yaml, .yml or .json files in {raw}")
            files.extend(found)
        elif path.is_file() or loading.special_kind(raw) in ("a named pipe", "a character device"):
            files.append(str(path))  # FIFOs and devices (``-f <(cmd)``) are read bounded, like stdin
        elif loading.special_kind(raw):
            raise InputError(f"{raw}: is {loading.special_kind(raw)}, not a file")
        else:
            raise InputError(f"{raw}: no such file or directory")
    return files


def read_text(path: str) -> str:
    """The text of a file, or of stdin for ``-``, read through the loading layer's bounds."""
    return loading.read_text(path)


def split_documents(text: str) -> Iterator[Document]:
    """Split a YAML stream on ``---`` lines, tracking where each document starts."""
    start = 1
    lines: list[str] = []
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        if _DOC_MARKER.match(line) or _DOC_END.match(line):
            if lines:
                yield Document("".join(lines), start)
            lines = []
            rest = line[3:].strip() if line.startswith("---") else ""
            if rest and not rest.startswith("#"):
                lines.append(" " * 4 + rest + "\n")
            start = number if lines else number + 1
            continue
        lines.append(line)
    if lines:
        yield Document("".join(lines), start)


def _objects(value: Any, path: str, line: int) -> Iterator[dict[str, Any]]:
    """Flatten ``kind: List`` and check that each item is a well-formed object."""
    if value is None:
        return
    where = f"{path}:{line}"
    if not isinstance(value, dict):
        raise InputError(f"{where}: expected a Kubernetes object, found {type(value).__name__}")
    kind = value.get("kind")
    if kind == "List" or (isinstance(kind, str) and kind.endswith("List") and "items" in value):
        for item in list_items(value, where):
            yield from _objects(item, path, line)
        return
    if not kind or not value.get("apiVersion"):
        raise InputError(f"{where}: document has no apiVersion or kind")
    yield check_object(value, where)


def _iter_yaml(stream: str | loading.BoundedReader, path: str,
               lines: FileLines | None = None) -> Iterator[tuple[int, Any]]:
    """(line, value) for each document of a YAML stream, lines taken from the parser; ``lines``
    gets loading's record of each plain document's field lines.

    ``stream`` may be text or a bounded reader: libyaml then reads it in chunks, so a large
    file is never held in memory as a whole, only one document at a time. The loading layer's
    guards apply (depth, alias expansion, integer size, complex keys, tags)."""
    return loading.yaml_documents(stream, path, on_record=lines.record if lines is not None else None)


def _iter_yaml_lenient(text: str, path: str) -> Iterator[tuple[int, Any]]:
    """Like _iter_yaml, but a broken document is skipped instead of ending the stream."""
    for doc in split_documents(text):
        try:
            parsed = list(_iter_yaml(doc.text, path))
        except InputError:
            continue
        for line, value in parsed:
            yield doc.first_line + line - 1, value


_looks_like_json = loading.looks_like_json


def _line_source(path: str, text: str | None = None) -> FileLines:
    """Where field lines are looked up later; stdin, pipes and devices keep their text."""
    keep = text if path == "-" or loading.special_kind(path) else None
    return FileLines(path, keep)


def _resources(documents: Iterable[tuple[int, Any]], path: str, ignore_unknown: bool,
               lines: FileLines | None = None) -> list[Resource]:
    out: list[Resource] = []
    lines = lines or _line_source(path)
    for line, value in documents:
        lines.add_document(line)
        try:
            for body in _objects(value, path, line):
                out.append(Resource.from_dict(body, Origin(path=path, line=line, lines=lines)))
        except InputError:
            if not ignore_unknown:
                raise
    return out


def parse_text(text: str, path: str, ignore_unknown: bool = False) -> list[Resource]:
    """Resources in one file's text (multi-document YAML or JSON)."""
    if _looks_like_json(text, path):
        return _parse_json(text, path)
    lines = _line_source(path, text)
    documents = _iter_yaml_lenient(text, path) if ignore_unknown else _iter_yaml(text, path, lines)
    return _resources(documents, path, ignore_unknown, lines)


def _parse_json(text: str, path: str) -> list[Resource]:
    value = loading.json_value(text, path)
    items = value if isinstance(value, list) else [value]
    lines = _line_source(path, text)
    lines.add_document(1)
    return [Resource.from_dict(body, Origin(path=path, line=1, lines=lines))
            for item in items for body in _objects(item, path, 1)]


def parse_file(path: str, ignore_unknown: bool = False) -> list[Resource]:
    """Resources in one file (``-``: stdin). YAML in a regular file is parsed while it is read."""
    if path == "-" or ignore_unknown or path.endswith(".json") or loading.special_kind(path):
        return parse_text(read_text(path), path, ignore_unknown)
    env = current()
    with env.deadline.running(f"reading {path}"):
        reader = loading.open_input(path, env)
        try:
            head = reader.read(4096)
            while head and not head.strip():
                more = reader.read(4096)
                if not more:
                    break
                head += more
        finally:
            reader.close()
        if not head.strip(b" \r\n"):
            return []  # empty, or only spaces and line breaks: no document (and no YAML parser needed)
        if head.lstrip().lstrip(b"\xef\xbb\xbf").startswith((b"{", b"[")):
            return parse_text(read_text(path), path)
        reader = loading.open_input(path, env)
        try:
            lines = _line_source(path)
            return _resources(_iter_yaml(reader, path, lines), path, ignore_unknown, lines)
        finally:
            reader.close()


def load_files(files: Iterable[str], ignore_unknown: bool = False) -> list[Resource]:
    """Every resource in already expanded files (see ``expand_paths``), in order."""
    resources: list[Resource] = []
    for path in files:
        resources.extend(parse_file(path, ignore_unknown))
    return resources


def load_paths(paths: Iterable[str], ignore_unknown: bool = False) -> list[Resource]:
    """Every resource in the given files, directories and stdin, in order."""
    return load_files(expand_paths(paths), ignore_unknown)
