"""Read Kubernetes resources from files, directories and stdin, keeping file:line."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from sys import intern
from typing import IO, Any

import yaml

from meshctl.errors import InputError
from meshctl.resource import Origin, Resource
from meshctl.sources.shape import check_object, list_items

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _Loader = yaml.SafeLoader

SUFFIXES = (".yaml", ".yml", ".json")
_DOC_MARKER = re.compile(r"^---(?:\s|$)")
_DOC_END = re.compile(r"^\.\.\.\s*$")


@dataclass(frozen=True)
class Document:
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
            files.extend(str(p) for p in sorted(path.rglob("*")) if p.is_file() and p.suffix in SUFFIXES)
        elif path.is_file():
            files.append(str(path))
        else:
            raise InputError(f"{raw}: no such file or directory")
    return files


def read_text(path: str) -> str:
    """The text of a file, or of stdin for ``-``."""
    if path == "-":
        return sys.stdin.read()
    try:
        return Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from exc


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


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"
_INTERN_MAX = 40  # short strings (keys, kinds, labels) repeat across objects: share one copy


def _to_python(node: yaml.Node, loader: Any) -> Any:
    """Convert a composed node: plain dicts, lists and strings fast; timestamps stay strings
    (as Kubernetes' JSON has them); everything else through PyYAML's safe constructor."""
    tag = node.tag
    if tag in (_STR, _TIMESTAMP):
        value = node.value
        return intern(value) if len(value) <= _INTERN_MAX else value
    if tag == _MAP:
        if any(k.tag == _MERGE for k, _ in node.value):
            return loader.construct_object(node, deep=True)
        return {_to_python(k, loader): _to_python(v, loader) for k, v in node.value}
    if tag == _SEQ:
        return [_to_python(v, loader) for v in node.value]
    return _scalar(node, loader)


_INT = "tag:yaml.org,2002:int"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TRUE = frozenset({"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"})


def _scalar(node: yaml.Node, loader: Any) -> Any:
    """Plain decimal ints, booleans and nulls directly; other forms (hex, octal, floats,
    binary, sexagesimal) through PyYAML's constructor, so the values are the same."""
    tag, value = node.tag, node.value
    if tag == _INT and value.isdigit() and (value == "0" or value[0] != "0"):
        return int(value)
    if tag == _BOOL:
        return value in _TRUE
    if tag == _NULL:
        return None
    return loader.construct_object(node, deep=True)


def _yaml_error(exc: yaml.YAMLError, path: str, first_line: int = 1) -> InputError:
    if isinstance(exc, yaml.reader.ReaderError):
        return InputError(f"{path}: not UTF-8 YAML text ({exc.reason})")
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = first_line + (mark.line if mark else 0)
    problem = getattr(exc, "problem", None) or getattr(exc, "context", None) or "invalid YAML"
    return InputError(f"{path}:{line}: invalid YAML: {problem}")


def _iter_yaml(stream: str | IO[bytes], path: str) -> Iterator[tuple[int, Any]]:
    """(line, value) for each document of a YAML stream, lines taken from the parser.

    ``stream`` may be text or a binary file: libyaml then reads it in chunks, so a large
    file is never held in memory as a whole, only one document's nodes at a time."""
    loader = _Loader(stream)
    line = 1
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is not None:
                line = node.start_mark.line + 1
                yield line, _to_python(node, loader)
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, path) from exc
    except RecursionError:
        raise InputError(f"{path}:{line}: recursive YAML alias (or nesting too deep)") from None
    finally:
        loader.dispose()


def _iter_yaml_lenient(text: str, path: str) -> Iterator[tuple[int, Any]]:
    """Like _iter_yaml, but a broken document is skipped instead of ending the stream."""
    for doc in split_documents(text):
        try:
            parsed = list(_iter_yaml(doc.text, path))
        except InputError:
            continue
        for line, value in parsed:
            yield doc.first_line + line - 1, value


def _looks_like_json(text: str, path: str) -> bool:
    return path.endswith(".json") or text.lstrip().lstrip("\ufeff").startswith(("{", "["))


def _resources(documents: Iterable[tuple[int, Any]], path: str, ignore_unknown: bool) -> list[Resource]:
    out: list[Resource] = []
    for line, value in documents:
        try:
            for body in _objects(value, path, line):
                out.append(Resource.from_dict(body, Origin(path=path, line=line)))
        except InputError:
            if not ignore_unknown:
                raise
    return out


def parse_text(text: str, path: str, ignore_unknown: bool = False) -> list[Resource]:
    """Resources in one file's text (multi-document YAML or JSON)."""
    if _looks_like_json(text, path):
        return _parse_json(text, path)
    documents = _iter_yaml_lenient(text, path) if ignore_unknown else _iter_yaml(text, path)
    return _resources(documents, path, ignore_unknown)


def _parse_json(text: str, path: str) -> list[Resource]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}: invalid JSON: {exc.msg}") from exc
    except RecursionError:
        raise InputError(f"{path}: JSON nested too deeply") from None
    items = value if isinstance(value, list) else [value]
    return [Resource.from_dict(body, Origin(path=path, line=1))
            for item in items for body in _objects(item, path, 1)]


def _head(stream: IO[bytes]) -> str:
    """The start of a binary file up to its first non-blank character, decoded leniently."""
    head = b""
    while True:
        chunk = stream.read(4096)
        head += chunk
        if not chunk or head.strip():
            return head.decode("utf-8", errors="replace")


def parse_file(path: str, ignore_unknown: bool = False) -> list[Resource]:
    """Resources in one file (``-``: stdin). YAML is parsed while the file is read."""
    if path == "-" or ignore_unknown:
        return parse_text(read_text(path), path, ignore_unknown)
    try:
        with open(path, "rb") as stream:
            if _looks_like_json(_head(stream), path):
                return parse_text(read_text(path), path)
            stream.seek(0)
            return _resources(_iter_yaml(stream, path), path, ignore_unknown)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from exc


def load_files(files: Iterable[str], ignore_unknown: bool = False) -> list[Resource]:
    """Every resource in already expanded files (see ``expand_paths``), in order."""
    resources: list[Resource] = []
    for path in files:
        resources.extend(parse_file(path, ignore_unknown))
    return resources


def load_paths(paths: Iterable[str], ignore_unknown: bool = False) -> list[Resource]:
    """Every resource in the given files, directories and stdin, in order."""
    return load_files(expand_paths(paths), ignore_unknown)
