"""The one loading layer: every file, stdin, FIFO and config value meshctl parses comes through here.

Reading is bounded (``--max-input-size``, the deadline between chunks, FIFOs that never
open or never end, devices such as ``/dev/zero``); parsing is guarded (nesting depth,
alias expansion, huge integers, complex keys, tags on collections, invalid UTF-8 and lone
surrogates). Every failure is an :class:`~meshctl.errors.InputError` (exit 65) with one
sentence naming the input; the limits are in ``docs/limits.md``.
"""

from __future__ import annotations

import codecs
import copy
import json
import os
import re
import select
import stat
from array import array
from collections.abc import Callable, Iterator
from sys import intern
from typing import IO, TYPE_CHECKING, Any

from meshctl.env import Environment, Limits, current
from meshctl.errors import InputError

if TYPE_CHECKING:
    import yaml
    from yaml.events import (
        AliasEvent,
        DocumentEndEvent,
        DocumentStartEvent,
        MappingEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceEndEvent,
        SequenceStartEvent,
        StreamEndEvent,
    )

_Loader: type | None = None  # libyaml's CSafeLoader (SafeLoader without libyaml), once imported
_EVENTS = ("AliasEvent", "DocumentEndEvent", "DocumentStartEvent", "MappingEndEvent", "MappingStartEvent",
           "ScalarEvent", "SequenceEndEvent", "SequenceStartEvent", "StreamEndEvent")


def _import_yaml() -> type:
    """The loader class; PyYAML's module and event classes are bound here on first use, so that
    reading JSON never imports it."""
    global _Loader
    if _Loader is None:
        import yaml as module
        import yaml.events as events

        globals().update({name: getattr(events, name) for name in _EVENTS}, yaml=module)
        loader = getattr(module, "CSafeLoader", module.SafeLoader)
        global _RESOLVED_FIRST
        if None not in loader.yaml_implicit_resolvers and not loader.yaml_path_resolvers:
            _RESOLVED_FIRST = frozenset(loader.yaml_implicit_resolvers)
        _Loader = loader
    return _Loader


#: The first characters of plain scalars the loader's implicit resolvers may type (digits, signs,
#: the letters of booleans and null...): any other plain scalar, and every quoted one, is a string,
#: as ``resolve`` would say (known without calling it). None: always ask ``resolve``.
_RESOLVED_FIRST: frozenset[str] | None = None

CHUNK = 1 << 16
_KINDS = {stat.S_IFIFO: "a named pipe", stat.S_IFCHR: "a character device",
          stat.S_IFBLK: "a block device", stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a directory"}


def _size_text(size: int) -> str:
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= scale and size % scale == 0:
            return f"{size // scale} {unit}"
    return f"{size} bytes"


def _label(path: str) -> str:
    return "stdin" if path == "-" else path


class BoundedReader:
    """A binary stream that stops at the size limit, at NUL bytes and at invalid UTF-8, and
    waits for data from pipes only as long as the deadline allows."""

    def __init__(self, raw: IO[bytes] | None, path: str, env: Environment, fd: int | None = None,
                 special: str = "") -> None:
        self._raw, self._fd = raw, fd
        self.path, self.special = path, special
        self._env = env
        self._limit = env.limits.max_input_size
        self._read = 0
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._pollable = fd is not None and special != "" or (raw is not None and path == "-" and _pollable(raw))

    def _what(self) -> str:
        return f"{self.path} ({self.special})" if self.special else _label(self.path)

    def _wait(self) -> None:
        deadline = self._env.deadline
        fd = self._fd if self._fd is not None else self._raw.fileno()  # type: ignore[union-attr]
        while True:
            deadline.check(f"waiting for data from {self._what()}")
            ready, _, _ = select.select([fd], [], [], min(max(deadline.remaining(), 0.0), 0.5))
            if ready:
                return

    def _chunk(self, size: int) -> bytes:
        if self._pollable:
            self._wait()
        try:
            if self._fd is not None:
                return os.read(self._fd, size)
            assert self._raw is not None
            return self._raw.read(size) or b""
        except BlockingIOError:
            return self._chunk(size)
        except OSError as exc:
            raise InputError(f"{self._what()}: cannot read ({exc.strerror or exc})") from None

    def read(self, size: int = -1) -> bytes:
        """Up to ``size`` bytes (a chunk when ``size`` < 0); ``b""`` at the end."""
        self._env.deadline.check(f"reading {self._what()}")
        want = CHUNK if size is None or size < 0 else min(size, CHUNK)
        data = self._chunk(want)
        self._read += len(data)
        if self._read > self._limit:
            raise InputError(f"{self._what()}: larger than the input limit of {_size_text(self._limit)} "
                             "(--max-input-size)")
        try:
            self._decoder.decode(data, final=not data)
        except UnicodeDecodeError as exc:
            raise InputError(f"{self._what()}: not UTF-8 text ({exc.reason})") from None
        nul = data.find(b"\0")
        if nul >= 0:
            raise InputError(f"{self._what()}: binary data (a NUL byte at offset {self._read - len(data) + nul}), "
                             "not YAML or JSON text")
        return data

    def read_all(self) -> bytes | bytearray:
        """Everything up to the end, within the limits."""
        out = bytearray()
        while True:
            data = self.read(CHUNK)
            if not data:
                return out
            out += data

    def close(self) -> None:
        """Close what this reader opened (never stdin)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def _pollable(raw: Any) -> bool:
    try:
        mode = os.fstat(raw.fileno()).st_mode
    except (AttributeError, OSError, ValueError):
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISSOCK(mode)


def special_kind(path: str) -> str:
    """``"a named pipe"``, ``"a directory"``... for what is not a regular file; ``""`` otherwise."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return ""
    return _KINDS.get(stat.S_IFMT(mode), "")


def open_input(path: str, env: Environment | None = None) -> BoundedReader:
    """A bounded reader of a file, FIFO or character device (``-``: stdin's bytes)."""
    env = env or current()
    if path == "-":
        raw = getattr(env.stdin, "buffer", None)
        if raw is None:  # a text stream (tests): its text, encoded
            import io

            raw = io.BytesIO(env.stdin.read().encode("utf-8", "surrogatepass"))
        return BoundedReader(raw, path, env)
    try:
        info = os.stat(path)
    except OSError as exc:
        if exc.errno == 2:
            raise InputError(f"{path}: no such file or directory") from None
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    kind = _KINDS.get(stat.S_IFMT(info.st_mode), "")
    if kind in ("a directory", "a socket", "a block device"):
        raise InputError(f"{path}: is {kind}, not a file")
    if not kind and info.st_size > env.limits.max_input_size:
        raise InputError(f"{path}: {info.st_size} bytes, larger than the input limit of "
                         f"{_size_text(env.limits.max_input_size)} (--max-input-size)")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    return BoundedReader(None, path, env, fd=fd, special=kind)


def read_bytes(path: str, env: Environment | None = None) -> bytes | bytearray:
    """All bytes of a file, FIFO, device or stdin (``-``), within the limits; InputError otherwise."""
    env = env or current()
    with env.deadline.running(f"reading {_label(path)}"):
        reader = open_input(path, env)
        try:
            return reader.read_all()
        finally:
            reader.close()


def read_text(path: str, env: Environment | None = None) -> str:
    """The UTF-8 text (a BOM dropped) of a file, FIFO, device or stdin (``-``), within the limits."""
    data = read_bytes(path, env)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:  # pragma: no cover - BoundedReader checked it
        raise InputError(f"{_label(path)}: not UTF-8 text ({exc.reason})") from None


# -- YAML ---------------------------------------------------------------------------------

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_INT = "tag:yaml.org,2002:int"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_BINARY = "tag:yaml.org,2002:binary"
_MERGE = "tag:yaml.org,2002:merge"
_VALUE = "tag:yaml.org,2002:value"
_TRUE = frozenset({"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"})
_AS_TEXT = frozenset({_STR, _TIMESTAMP, _BINARY, _MERGE, _VALUE})
_RESOLVED_MAX = 1 << 14  # texts whose resolved tag a stream keeps
_INTERN_MAX = 40  # short strings (keys, kinds, labels) repeat across objects: share one copy
_NO_KEY = object()
_MERGE_KEY = object()
#: ``on_record(line, value, key_and_item_lines)`` of :func:`yaml_documents`
Recorder = Callable[[int, Any, 'array[int]'], None]


def _collection_tag(event: Any, default: str, what: str, where: str) -> None:
    tag = event.tag
    if tag is not None and tag != "!" and tag != default:
        line = event.start_mark.line + 1
        raise InputError(f"{where}:{line}: the tag {tag.replace('tag:yaml.org,2002:', '!!')} cannot "
                         f"be applied to a {what}")


class _Builder:
    """Python values from libyaml's events, with the guards; one instance per document."""

    def __init__(self, loader: Any, where: str, limits: Limits, first_line: int,
                 resolved: dict[str, str] | None = None, plain: dict[str, Any] | None = None) -> None:
        self.loader = loader
        #: tags the loader's implicit resolvers gave plain scalars, by text (shared by the stream's
        #: documents: the same keys and values recur); used only when the resolvers depend on the
        #: text alone (no path resolvers: ``_RESOLVED_FIRST`` is set)
        self.resolved: dict[str, str] = {} if resolved is None else resolved
        #: the values of plain scalars (untagged, typed by those resolvers), by text, likewise
        self.plain: dict[str, Any] = {} if plain is None else plain
        self.where = where
        self.limits = limits
        self.first_line = first_line
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.open_anchors: set[str] = set()
        self.expanded = 0
        #: the line (0-based) of each mapping key and sequence item, and of the root, in document
        #: order; ``exact`` when they describe the value built (no anchor, alias, merge key, or key
        #: that is not a string), so that field lines can be found without parsing again
        self.slots: array[int] = array("i")
        self.exact = True

    def _at(self, event: Any) -> str:
        return f"{self.where}:{self.first_line + event.start_mark.line}"

    def scalar(self, event: Any) -> Any:
        tag = event.tag
        value = event.value
        if tag is None or tag == "!":
            first = _RESOLVED_FIRST
            if first is not None and value and (not event.implicit[0] or value[0] not in first):
                tag = _STR
            elif first is not None and event.implicit[0]:
                tag = self.resolved.get(value)
                if tag is None:
                    tag = self.loader.resolve(yaml.ScalarNode, value, event.implicit)
                    if len(value) <= _INTERN_MAX and len(self.resolved) < _RESOLVED_MAX:
                        self.resolved[value] = tag
            else:
                tag = self.loader.resolve(yaml.ScalarNode, value, event.implicit)
        if tag in _AS_TEXT:
            return intern(value) if len(value) <= _INTERN_MAX else value
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return value in _TRUE
        if tag == _INT:
            digits = value.lstrip("+-")
            if len(digits) > self.limits.max_int_digits:
                raise InputError(f"{self._at(event)}: an integer with more than {self.limits.max_int_digits} digits")
            if digits.isdigit() and (digits == "0" or digits[0] != "0"):
                return int(value)
        if tag in (_INT, _FLOAT):
            node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
            try:
                return self.loader.construct_object(node, deep=True)
            except (ValueError, yaml.YAMLError):
                raise InputError(f"{self._at(event)}: {value[:40]!r} is not a valid {tag.rsplit(':', 1)[-1]}") from None
        shown = tag.replace("tag:yaml.org,2002:", "!!")
        raise InputError(f"{self._at(event)}: unsupported YAML tag {shown[:60]}")

    def alias(self, event: Any) -> tuple[Any, int]:
        name = event.anchor
        if name in self.open_anchors:
            raise InputError(f"{self._at(event)}: recursive YAML alias *{name[:40]}")
        if name not in self.anchors:
            raise InputError(f"{self._at(event)}: YAML alias *{name[:40]} names no anchor")
        value, size = self.anchors[name]
        self.expanded += size
        if self.expanded > self.limits.max_alias_nodes:
            raise InputError(f"{self.where}: YAML aliases expand to more than {self.limits.max_alias_nodes} "
                             "nodes (an alias bomb?)")
        return (copy.deepcopy(value) if isinstance(value, (dict, list)) else value), size

    def build(self) -> Any:
        """The document's value; the loader stands before its root node's event.

        The collection being built lives in locals (``container``, ``is_map``, the pending ``key``,
        its node count ``size``, its ``anchor``, the ``merges`` (``<<``) seen in it); the enclosing
        ones' are saved on ``stack``. A plain scalar that no implicit resolver can type, and every
        quoted one, is a string, known without calling ``scalar``. ``slots`` gets the line of every
        key, item and the root (see :mod:`meshctl.sources.lines`)."""
        get_event = self.loader.get_event
        record = self.slots.append
        exact = True
        plain = self.plain
        max_depth = self.limits.max_depth
        first = _RESOLVED_FIRST
        anchors = self.anchors
        scalar_event, alias_event = ScalarEvent, AliasEvent
        map_start, seq_start = MappingStartEvent, SequenceStartEvent
        map_end, seq_end = MappingEndEvent, SequenceEndEvent
        stack: list[tuple[Any, bool, Any, int, str | None, list[Any] | None]] = []
        push, pop = stack.append, stack.pop
        container: Any = None
        is_map = False
        key: Any = _NO_KEY
        size = 0
        anchor: str | None = None
        merges: list[Any] | None = None
        while True:
            event = get_event()
            cls = type(event)
            if cls is scalar_event:
                value = event.value
                if event.tag is None and first is not None and value and container is not None \
                        and (value[0] not in first or not event.implicit[0]) and not event.anchor:
                    # the common case, a string in a collection: added here
                    if len(value) <= _INTERN_MAX:
                        value = intern(value)
                    if not is_map:
                        record(event.start_mark.line)
                        container.append(value)
                        size += 1
                        continue
                    if key is _NO_KEY:
                        record(event.start_mark.line)
                        key = value
                        size += 1
                        continue
                    if key is not _MERGE_KEY:
                        container[key] = value
                        key = _NO_KEY
                        size += 1
                        continue
                    # the value of a merge key (<<): the general path says what is wrong with it
                if not is_map or key is _NO_KEY:
                    record(event.start_mark.line)
                if event.tag is None and first is not None and value \
                        and (value[0] not in first or not event.implicit[0]):
                    if len(value) <= _INTERN_MAX:
                        value = intern(value)
                elif event.tag is None and first is not None and event.implicit[0]:
                    # a plain scalar an implicit resolver may type: its value by its text, once per stream
                    text = value
                    value = plain.get(text, _NO_KEY)
                    if value is _NO_KEY:
                        value = self.scalar(event)
                        if len(text) <= _INTERN_MAX and len(plain) < _RESOLVED_MAX and type(value) is not float:
                            plain[text] = value  # (a float is made each time: no two NaNs are the same object)
                else:
                    value = self.scalar(event)
                if is_map and key is _NO_KEY and value == "<<" and event.tag is None and event.implicit[0]:
                    if event.anchor:  # a merge key (a quoted "<<" is a plain key)
                        anchors[event.anchor] = (value, 1)
                    key, exact = _MERGE_KEY, False
                    continue
                if event.anchor:
                    anchors[event.anchor] = (value, 1)
                    exact = False
                count = 1
            elif cls is map_start or cls is seq_start:
                opens_map = cls is map_start
                if event.tag is not None:
                    _collection_tag(event, _MAP if opens_map else _SEQ, "mapping" if opens_map else "sequence",
                                    self.where)
                if len(stack) + (container is not None) >= max_depth:
                    raise InputError(f"{self._at(event)}: nested more than {max_depth} levels deep")
                if not is_map:
                    record(event.start_mark.line)
                if container is not None:
                    push((container, is_map, key, size, anchor, merges))
                anchor = event.anchor
                if anchor:
                    self.open_anchors.add(anchor)
                    exact = False
                container = {} if opens_map else []
                is_map, key, size, merges = opens_map, _NO_KEY, 1, None
                continue
            elif cls is map_end or cls is seq_end:
                value, count = container, size
                if merges:
                    value = _merged(value, merges)
                if anchor:
                    self.open_anchors.discard(anchor)
                    anchors[anchor] = (value, count)
                if not stack:
                    self.exact = exact
                    return value
                container, is_map, key, size, anchor, merges = pop()
            elif cls is alias_event:
                if not is_map or key is _NO_KEY:
                    record(event.start_mark.line)
                value, count = self.alias(event)
                exact = False
            else:  # pragma: no cover - libyaml gives no other events inside a document
                raise InputError(f"{self.where}: unexpected YAML event {cls.__name__}")
            if container is None:  # the document is a scalar (or an alias)
                self.exact = exact
                return value
            size += count
            if not is_map:
                container.append(value)
            elif key is _NO_KEY:
                if isinstance(value, (dict, list)):
                    raise InputError(f"{self._at(event)}: a mapping or sequence used as a mapping key "
                                     "(complex YAML keys are not supported)")
                if type(value) is not str:
                    exact = False
                key = value
            elif key is _MERGE_KEY:
                sources = value if isinstance(value, list) else [value]
                if not all(isinstance(s, dict) for s in sources):
                    raise InputError(f"{self._at(event)}: a merge key (<<) needs a mapping or a list of mappings")
                if merges is None:
                    merges = []
                merges.append(sources)
                key = _NO_KEY
            else:
                container[key] = value
                key = _NO_KEY


def _merged(value: dict[Any, Any], merges: list[list[dict[Any, Any]]]) -> dict[Any, Any]:
    """Merge keys (``<<``): merged mappings first (earlier ones win), the mapping's own keys over them."""
    merged: dict[Any, Any] = {}
    for sources in reversed(merges):
        for source in reversed(sources):
            merged.update(source)
    merged.update(value)
    return merged


def _yaml_error(exc: yaml.YAMLError, where: str, first_line: int = 1) -> InputError:
    if isinstance(exc, yaml.reader.ReaderError):
        return InputError(f"{where}: not UTF-8 YAML text ({exc.reason})")
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = first_line + (mark.line if mark else 0)
    problem = getattr(exc, "problem", None) or getattr(exc, "context", None) or "invalid YAML"
    if "maximum nesting depth" in str(problem):  # libyaml's own bound (PyYAML >= 6.0.4), met before ours
        return InputError(f"{where}:{line}: nested more than {current().limits.max_depth} levels deep")
    return InputError(f"{where}:{line}: invalid YAML: {problem}")


def yaml_documents(source: str | BoundedReader, where: str, limits: Limits | None = None,
                   first_line: int = 1, on_record: Recorder | None = None) -> Iterator[tuple[int, Any]]:
    """(line, value) for each document of a YAML stream; ``source`` may be text or a bounded reader
    (libyaml then reads it in chunks). Lines count from ``first_line``. ``on_record`` gets, before a
    plain document is yielded, its line, value and the line (0-based, in the stream) of its root and
    of every mapping key and sequence item in document order (see :mod:`meshctl.sources.lines`)."""
    limits = limits or current().limits
    loader = _import_yaml()(source)
    resolved: dict[str, str] = {}
    plain: dict[str, Any] = {}
    try:
        loader.get_event()  # StreamStart
        while not loader.check_event(StreamEndEvent):
            start = loader.get_event()
            if type(start) is not DocumentStartEvent:  # pragma: no cover - libyaml guarantees it
                raise InputError(f"{where}: invalid YAML stream")
            line = first_line + loader.peek_event().start_mark.line
            builder = _Builder(loader, where, limits, first_line, resolved, plain)
            value = builder.build()
            end = loader.get_event()
            if type(end) is not DocumentEndEvent:  # pragma: no cover
                raise InputError(f"{where}: invalid YAML stream")
            if on_record is not None and builder.exact and start.version is None and not start.tags:
                on_record(line, value, builder.slots)  # a plain document without directives
            yield line, value
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, where, first_line) from None
    finally:
        loader.dispose()


def yaml_value(text: str, where: str, limits: Limits | None = None, first_line: int = 1) -> Any:
    """The value of a YAML (or JSON) text holding at most one document (None when empty)."""
    values = [value for _, value in yaml_documents(text, where, limits, first_line)]
    if len(values) > 1:
        raise InputError(f"{where}: expected one YAML document, found {len(values)}")
    return values[0] if values else None


# -- JSON ---------------------------------------------------------------------------------

_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


class JSONSyntaxError(InputError):
    """The text is not JSON at all (other guards failing are plain InputErrors)."""


def json_value(text: str | bytes, where: str, limits: Limits | None = None,
               object_hook: Callable[[dict[str, Any]], Any] | None = None) -> Any:
    """``json.loads`` with the guards: depth, integer size, lone surrogates; InputError when unreadable."""
    limits = limits or current().limits
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(f"{where}: not UTF-8 text ({exc.reason})") from None
    try:
        value = json.loads(text, object_hook=object_hook)
    except json.JSONDecodeError as exc:
        raise JSONSyntaxError(f"{where}:{exc.lineno}: invalid JSON: {exc.msg}") from None
    except RecursionError:
        raise InputError(f"{where}: JSON nested more than {limits.max_depth} levels deep") from None
    except ValueError:  # int/str conversion limit
        raise InputError(f"{where}: an integer with more than {limits.max_int_digits} digits") from None
    check_value(value, where, limits, strings=_SURROGATE_ESCAPE.search(text) is not None)
    return value


def check_value(value: Any, where: str, limits: Limits | None = None, strings: bool = False) -> None:
    """InputError when ``value`` nests deeper than the limit or (``strings``) holds a lone surrogate."""
    limits = limits or current().limits
    stack: list[tuple[Any, int]] = [(value, 1)]
    pop, push = stack.pop, stack.append
    while stack:
        node, depth = pop()
        if isinstance(node, dict):
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        else:
            if strings and isinstance(node, str) and not node.isascii():
                _check_surrogates(node, where)
            continue
        if depth > limits.max_depth:
            raise InputError(f"{where}: nested more than {limits.max_depth} levels deep")
        for child in children:
            if isinstance(child, (dict, list)) or strings:
                push((child, depth + 1))
        if strings and isinstance(node, dict):
            for key in node:
                if isinstance(key, str) and not key.isascii():
                    _check_surrogates(key, where)


def _check_surrogates(text: str, where: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(f"{where}: a lone UTF-16 surrogate escape (such as \\ud800) is not text") from None


# -- one entry point for config files -----------------------------------------------------

def looks_like_json(text: str, path: str) -> bool:
    """JSON by name or by its first character."""
    return path.endswith(".json") or text.lstrip().lstrip("\ufeff").startswith(("{", "["))


def parse_value(text: str, where: str, limits: Limits | None = None) -> Any:
    """A YAML or JSON text with one document, guarded."""
    if text.lstrip().startswith(("{", "[")):
        try:
            return json_value(text, where, limits)
        except JSONSyntaxError:
            pass  # flow-style YAML is not always JSON: let the YAML parser say what is wrong
    return yaml_value(text, where, limits)


def read_value(path: str, env: Environment | None = None) -> Any:
    """The one YAML or JSON document in a file (or stdin), guarded."""
    env = env or current()
    text = read_text(path, env)
    with env.deadline.running(f"parsing {_label(path)}"):
        return parse_value(text, _label(path) if path == "-" else path, env.limits)


def read_mapping(path: str, what: str, env: Environment | None = None) -> dict[str, Any]:
    """A YAML or JSON mapping from a file (``{}`` when empty); InputError naming ``what`` otherwise."""
    value = read_value(path, env)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InputError(f"{_label(path)}: {what} must be a mapping, not {type(value).__name__}")
    return value


def parse_mapping(text: Any, where: str, what: str = "value") -> dict[str, Any]:
    """A mapping from YAML/JSON text embedded in another object (a ConfigMap key, an annotation)."""
    if isinstance(text, dict):
        return text
    if text is None or text == "":
        return {}
    if not isinstance(text, str):
        raise InputError(f"{where}: {what} must be YAML text, not {type(text).__name__}")
    value = parse_value(text, where)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InputError(f"{where}: {what} must be a mapping, not {type(value).__name__}")
    return value
