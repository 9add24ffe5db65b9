"""Label and field selectors, parsed the way kube-apiserver parses them."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Predicate = Callable[[dict[str, str]], bool]


class SelectorError(ValueError):
    """A selector that does not parse (the server answers 400 BadRequest)."""


_SET_RE = re.compile(r"^\s*(!?)\s*([A-Za-z0-9_./-]+)\s*(?:(in|notin)\s*\(([^)]*)\))?\s*$")
_EQ_RE = re.compile(r"^\s*([A-Za-z0-9_./-]+)\s*(==|=|!=)\s*([A-Za-z0-9_.-]*)\s*$")


def _split_terms(text: str) -> list[str]:
    """Split on commas that are not inside parentheses."""
    terms, depth, current = [], 0, []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            terms.append("".join(current))
            current = []
        else:
            current.append(ch)
    terms.append("".join(current))
    return [t for t in (t.strip() for t in terms) if t]


def _label_term(term: str) -> Predicate:
    m = _EQ_RE.match(term)
    if m:
        key, op, value = m.groups()
        if op == "!=":
            return lambda labels: labels.get(key) != value
        return lambda labels: key in labels and labels[key] == value
    m = _SET_RE.match(term)
    if not m:
        raise SelectorError(f"unable to parse requirement: {term!r}")
    negate, key, op, values = m.groups()
    if op and negate:
        raise SelectorError(f"unable to parse requirement: {term!r}")
    if op:
        allowed = {v.strip() for v in values.split(",") if v.strip()}
        if op == "in":
            return lambda labels: labels.get(key) in allowed
        return lambda labels: labels.get(key) not in allowed
    if negate:
        return lambda labels: key not in labels
    return lambda labels: key in labels


def label_selector(text: str | None) -> Predicate:
    """A predicate over a labels dict for a labelSelector string."""
    preds = [_label_term(t) for t in _split_terms(text or "")]
    return lambda labels: all(p(labels) for p in preds)


SUPPORTED_FIELDS = {"metadata.name", "metadata.namespace", "status.phase", "spec.nodeName",
                    "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
                    "status.podIP", "status.nominatedNodeName", "type", "spec.unschedulable"}


def field_value(obj: dict[str, Any], path: str) -> str:
    """An object's field as the string a fieldSelector compares against."""
    cur: Any = obj
    for part in path.split("."):
        cur = cur.get(part) if isinstance(cur, dict) else None
    if isinstance(cur, bool):
        return "true" if cur else "false"
    return "" if cur is None else str(cur)


def _field_term(term: str) -> Callable[[dict[str, Any]], bool]:
    m = re.match(r"^\s*([A-Za-z0-9_.]+)\s*(==|=|!=)\s*(.*?)\s*$", term)
    if not m:
        raise SelectorError(f"invalid selector: {term!r}; can't understand {term!r}")
    key, op, value = m.groups()
    if key not in SUPPORTED_FIELDS:
        raise SelectorError(f'field label not supported: {key}')
    if op == "!=":
        return lambda obj: field_value(obj, key) != value
    return lambda obj: field_value(obj, key) == value


def field_selector(text: str | None) -> Callable[[dict[str, Any]], bool]:
    """A predicate over an object for a fieldSelector string."""
    preds = [_field_term(t) for t in _split_terms(text or "")]
    return lambda obj: all(p(obj) for p in preds)
