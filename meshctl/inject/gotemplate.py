"""A small subset of Go's text/template, for injection templates given in the values.

Supported: text and ``{{ pipeline }}`` actions with ``{{-``/``-}}`` trimming and comments;
``if``/``else if``/``else``, ``range`` (with ``$i, $v :=``), ``with``, ``end``; variables
(``$x := ...``, ``$x = ...``); fields (``.A.B``, ``$v.Name``; Go's field names are looked up
as written and with a lower-case first letter, ``ObjectMeta`` as ``metadata``); string,
number and boolean literals; parentheses and ``|`` pipes; and the functions Istio's
injector and Sprig templates commonly use (:data:`FUNCS`). Anything else (``define``,
``template``, ``block``, unknown functions) raises :class:`TemplateError`, so a template
meshctl cannot evaluate is refused rather than rendered wrong.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

_ACTION = re.compile(r"\{\{(-\s)?(.*?)(\s-)?\}\}", re.S)
_TOKEN = re.compile(r'\s*(?:(?P<str>"(?:\\.|[^"\\])*"|`[^`]*`)|(?P<num>-?\d+(?:\.\d+)?)|(?P<op>:=|=|\||\(|\)|,)'
                    r"|(?P<var>\$[A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)|(?P<field>(?:\.[A-Za-z0-9_]+)+|\.)"
                    r"|(?P<ident>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*))")
NO_VALUE = "<no value>"


class TemplateError(Exception):
    """A template meshctl cannot evaluate (or one that fails as Go's would)."""


@dataclass
class Node:
    """A parsed template node: ``text``, ``action``, ``if``, ``range`` or ``with``."""

    kind: str
    text: str = ""
    pipe: list[Any] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    assign: str = ""
    body: list[Node] = field(default_factory=list)
    other: list[Node] = field(default_factory=list)


def _lex(source: str) -> list[tuple[str, str]]:
    """[("text", s) | ("action", s)] with Go's whitespace trimming applied."""
    out: list[tuple[str, str]] = []
    pos, trim_next = 0, False
    for m in _ACTION.finditer(source):
        text = source[pos:m.start()]
        if trim_next:
            text = text.lstrip()
        if m.group(1):
            text = text.rstrip()
        out.append(("text", text))
        body = m.group(2).strip()
        if not (body.startswith("/*") and body.endswith("*/")):
            out.append(("action", body))
        trim_next, pos = bool(m.group(3)), m.end()
    text = source[pos:]
    out.append(("text", text.lstrip() if trim_next else text))
    return out


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise TemplateError(f"cannot read {text[pos:].strip()!r}")
        kind = m.lastgroup or ""
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


def _pipeline(tokens: list[tuple[str, str]]) -> list[Any]:
    """A pipeline: a list of commands, each a list of operands (nested pipelines for parentheses)."""
    commands: list[list[Any]] = [[]]
    stack: list[list[list[Any]]] = []
    for kind, value in tokens:
        if kind == "op" and value == "(":
            stack.append(commands)
            commands = [[]]
        elif kind == "op" and value == ")":
            if not stack:
                raise TemplateError("unbalanced parenthesis")
            inner, commands = commands, stack.pop()
            commands[-1].append(("pipe", inner))
        elif kind == "op" and value == "|":
            commands.append([])
        elif kind == "op":
            raise TemplateError(f"unexpected {value!r}")
        else:
            commands[-1].append((kind, value))
    if stack:
        raise TemplateError("unbalanced parenthesis")
    return commands


def _declaration(text: str) -> tuple[list[str], str, list[Any]]:
    tokens = _tokens(text)
    for i, (kind, value) in enumerate(tokens):
        if kind == "op" and value in (":=", "="):
            names = [v for k, v in tokens[:i] if k == "var"]
            return names, value, _pipeline(tokens[i + 1:])
    return [], "", _pipeline(tokens)


def parse(source: str) -> list[Node]:
    """The template's node tree."""
    root: list[Node] = []
    # (open node, the list it was added to, whether it is an ``else if`` closed by its parent's end)
    stack: list[tuple[Node, list[Node], bool]] = []
    current = root
    for kind, text in _lex(source):
        if kind == "text":
            if text:
                current.append(Node("text", text=text))
            continue
        word = text.split(None, 1)[0] if text else ""
        rest = text[len(word):].strip()
        if word in ("if", "range", "with"):
            names, assign, pipe = _declaration(rest)
            node = Node(word, pipe=pipe, names=names, assign=assign)
            current.append(node)
            stack.append((node, current, False))
            current = node.body
        elif word == "else":
            if not stack:
                raise TemplateError("else without if/range/with")
            node = stack[-1][0]
            if rest.startswith(("if ", "with ")):
                inner = rest.split(None, 1)
                names, assign, pipe = _declaration(inner[1])
                nested = Node(inner[0], pipe=pipe, names=names, assign=assign)
                node.other = [nested]
                stack.append((nested, node.other, True))
                current = nested.body
            else:
                current = node.other
        elif word == "end":
            if not stack:
                raise TemplateError("end without if/range/with")
            _, current, chained = stack.pop()
            while chained:
                _, current, chained = stack.pop()
        elif word in ("define", "template", "block", "break", "continue"):
            raise TemplateError(f"{{{{ {word} }}}} is not supported")
        else:
            names, assign, pipe = _declaration(text)
            current.append(Node("action", pipe=pipe, names=names, assign=assign))
    if stack:
        raise TemplateError("missing {{ end }}")
    return root


def _field(obj: Any, name: str) -> Any:
    if isinstance(obj, dict):
        for key in (name, name[:1].lower() + name[1:], {"ObjectMeta": "metadata"}.get(name, name)):
            if key in obj:
                return obj[key]
        return None
    return getattr(obj, name, None)


def truthy(value: Any) -> bool:
    """Go's truth: false, 0, nil and empty strings, lists and maps are false."""
    return bool(value) and value != NO_VALUE


def text_of(value: Any) -> str:
    """How Go prints a value in a template."""
    if value is None:
        return NO_VALUE
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return "[" + " ".join(text_of(v) for v in value) + "]"
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{text_of(v)}" for k, v in sorted(value.items())) + "]"
    return str(value)


def _printf(fmt: str, *args: Any) -> str:
    values = iter(args)
    return re.sub(r"%[svdtq%]", lambda m: "%" if m.group() == "%%" else (
        json.dumps(str(next(values))) if m.group() == "%q" else text_of(next(values))), fmt)


def _indent(n: Any, text: Any) -> str:
    pad = " " * int(n)
    return "\n".join(pad + line for line in str(text).split("\n"))


def _yaml(value: Any) -> str:
    return str(yaml.safe_dump(value, default_flow_style=False, sort_keys=True)).rstrip("\n")


FUNCS: dict[str, Callable[..., Any]] = {
    "annotation": lambda meta, name, default: str((_field(meta, "Annotations") or {}).get(name, text_of(default))),
    "valueOrDefault": lambda value, default: default if value in ("", None) else value,
    "default": lambda default, value=None: value if truthy(value) else default,
    "isset": lambda m, key: isinstance(m, dict) and key in m,
    "index": lambda m, *keys: _index(m, keys),
    "quote": lambda *v: " ".join(json.dumps(text_of(x)) for x in v),
    "squote": lambda *v: " ".join(f"'{text_of(x)}'" for x in v),
    "eq": lambda a, *b: any(a == x for x in b), "ne": lambda a, b: a != b,
    "lt": lambda a, b: a < b, "le": lambda a, b: a <= b, "gt": lambda a, b: a > b, "ge": lambda a, b: a >= b,
    "not": lambda a: not truthy(a), "len": lambda a: len(a or []),
    "and": lambda *a: next((x for x in a if not truthy(x)), a[-1]),
    "or": lambda *a: next((x for x in a if truthy(x)), a[-1]),
    "printf": _printf, "print": lambda *a: "".join(text_of(x) for x in a),
    "toJSON": lambda v: json.dumps(v if v is not None else {}, separators=(",", ":")),
    "toJson": lambda v: json.dumps(v if v is not None else {}, separators=(",", ":")),
    "fromJSON": lambda s: json.loads(str(s)), "toYaml": _yaml,
    "indent": _indent, "nindent": lambda n, t: "\n" + _indent(n, t),
    "contains": lambda needle, haystack: str(needle) in str(haystack),
    "toLower": lambda s: str(s).lower(), "lower": lambda s: str(s).lower(), "upper": lambda s: str(s).upper(),
    "trunc": lambda n, s: str(s)[: int(n)], "trim": lambda s: str(s).strip(),
    "trimAll": lambda chars, s: str(s).strip(str(chars)),
    "trimSuffix": lambda suffix, s: str(s).removesuffix(str(suffix)),
    "trimPrefix": lambda prefix, s: str(s).removeprefix(str(prefix)),
    "replace": lambda old, new, s: str(s).replace(str(old), str(new)),
    "join": lambda sep, items: str(sep).join(text_of(i) for i in items or []),
    "list": lambda *items: list(items), "append": lambda items, *more: [*(items or []), *more],
    "hasKey": lambda m, key: isinstance(m, dict) and key in m,
    "empty": lambda v: not truthy(v), "ternary": lambda a, b, cond: a if truthy(cond) else b,
    "omitNil": lambda v: {k: x for k, x in (v or {}).items() if x is not None} if isinstance(v, dict) else v,
    "toString": text_of,
}


def _index(m: Any, keys: tuple[Any, ...]) -> Any:
    for key in keys:
        if isinstance(m, dict):
            m = m.get(key)
        elif isinstance(m, list) and isinstance(key, int) and 0 <= key < len(m):
            m = m[key]
        else:
            return None
    return m


class _Scope:
    def __init__(self, root: Any) -> None:
        self.frames: list[dict[str, Any]] = [{"$": root}]

    def get(self, name: str) -> Any:
        for frame in reversed(self.frames):
            if name in frame:
                return frame[name]
        raise TemplateError(f"undefined variable {name}")

    def set(self, name: str, value: Any, declare: bool) -> None:
        if not declare:
            for frame in reversed(self.frames):
                if name in frame:
                    frame[name] = value
                    return
        self.frames[-1][name] = value


def _operand(op: tuple[str, Any], dot: Any, scope: _Scope) -> Any:
    kind, value = op
    if kind == "pipe":
        return _run(value, dot, scope)
    if kind == "str":
        return json.loads(value) if value.startswith('"') else value[1:-1]
    if kind == "num":
        return float(value) if "." in value else int(value)
    if kind == "field":
        node = dot
        for part in [p for p in value.split(".") if p]:
            node = _field(node, part)
        return node
    if kind == "var":
        head, *parts = value.split(".")
        node = scope.get(head)
        for part in parts:
            node = _field(node, part)
        return node
    if value in ("true", "false"):
        return value == "true"
    if value == "nil":
        return None
    raise TemplateError(f"{value!r} is not a value")


def _command(cmd: list[Any], dot: Any, scope: _Scope, piped: list[Any]) -> Any:
    if not cmd:
        raise TemplateError("empty command")
    kind, value = cmd[0]
    if kind == "ident" and value not in ("true", "false", "nil"):
        func = FUNCS.get(value)
        if func is None:
            raise TemplateError(f"function {value!r} is not supported")
        args = [_operand(op, dot, scope) for op in cmd[1:]] + piped
        try:
            return func(*args)
        except TemplateError:
            raise
        except Exception as exc:  # a function failing on its input: Go's template fails too
            raise TemplateError(f"{value}: {exc}") from None
    if len(cmd) > 1 or piped:
        raise TemplateError(f"{value!r} is not a function")
    return _operand(cmd[0], dot, scope)


def _run(pipe: list[Any], dot: Any, scope: _Scope) -> Any:
    result: list[Any] = []
    for cmd in pipe:
        result = [_command(cmd, dot, scope, result)]
    return result[0] if result else None


def _render(nodes: list[Node], dot: Any, scope: _Scope, out: list[str]) -> None:
    for node in nodes:
        if node.kind == "text":
            out.append(node.text)
            continue
        value = _run(node.pipe, dot, scope)
        if node.kind == "action":
            if node.names:
                scope.set(node.names[0], value, node.assign == ":=")
            else:
                out.append(text_of(value))
        elif node.kind in ("if", "with"):
            if node.names:
                scope.set(node.names[-1], value, True)
            branch = node.body if truthy(value) else node.other
            _render(branch, value if node.kind == "with" and truthy(value) else dot, scope, out)
        else:
            items = list(value.items()) if isinstance(value, dict) else list(enumerate(value or []))
            if isinstance(value, dict):
                items.sort(key=lambda kv: str(kv[0]))
            if not items:
                _render(node.other, dot, scope, out)
            for key, item in items:
                scope.frames.append({})
                if len(node.names) == 2:
                    scope.set(node.names[0], key, True)
                if node.names:
                    scope.set(node.names[-1], item, True)
                _render(node.body, item, scope, out)
                scope.frames.pop()


def render(source: str, data: Any) -> str:
    """The template's text for ``data``; TemplateError when it uses what this subset lacks."""
    out: list[str] = []
    _render(parse(source), data, _Scope(data), out)
    return "".join(out)
