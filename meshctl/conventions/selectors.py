"""Kubernetes label selectors: the string syntax of ``kubectl -l`` and LabelSelector objects.

The grammar is that of ``k8s.io/apimachinery/pkg/labels``: comma-separated requirements, each
``key``, ``!key``, ``key=value``, ``key==value``, ``key!=value``, ``key in (v1,v2)``,
``key notin (v1,v2)``, ``key>N`` or ``key<N``. A parsed string is a LabelSelector mapping
(``matchExpressions``, with ``Gt``/``Lt`` for the numeric forms), so one matcher serves both.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_NAME = r"(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)"
_PREFIX = r"(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*/)"
_KEY = rf"(?:{_PREFIX}?{_NAME})"
_VALUE = rf"(?:{_NAME}?)"
_EXISTS = re.compile(rf"(!?)\s*({_KEY})")
_EQUALITY = re.compile(rf"({_KEY})\s*(==?|!=)\s*({_VALUE})")
_NUMERIC = re.compile(rf"({_KEY})\s*([<>])\s*(-?[0-9]+)")
_SET = re.compile(rf"({_KEY})\s+(in|notin)\s*\(\s*({_VALUE}(?:\s*,\s*{_VALUE})*)\s*\)")

LabelSelector = dict[str, Any]


class SelectorError(ValueError):
    """A selector string that is not Kubernetes' syntax; the message says why."""


def _split(text: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text + ","):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth <= 0:
            parts.append(text[start:i].strip())
            start = i + 1
    return parts


def _requirement(part: str) -> dict[str, Any]:
    if m := _SET.fullmatch(part):
        values = [v.strip() for v in m.group(3).split(",")]
        return {"key": m.group(1), "operator": "In" if m.group(2) == "in" else "NotIn", "values": values}
    if m := _EQUALITY.fullmatch(part):
        return {"key": m.group(1), "operator": "NotIn" if m.group(2) == "!=" else "In", "values": [m.group(3)]}
    if m := _NUMERIC.fullmatch(part):
        return {"key": m.group(1), "operator": "Gt" if m.group(2) == ">" else "Lt", "values": [m.group(3)]}
    if m := _EXISTS.fullmatch(part):
        return {"key": m.group(2), "operator": "DoesNotExist" if m.group(1) else "Exists"}
    raise SelectorError(f"{part!r} is not key, !key, key=value, key!=value, key in (...) or key notin (...)")


def parse(text: str) -> LabelSelector:
    """A selector string as a LabelSelector mapping; SelectorError when it is malformed."""
    if not text.strip():
        raise SelectorError("it is empty")
    requirements = []
    for part in _split(text):
        if not part:
            raise SelectorError("it has an empty requirement (a stray comma)")
        requirements.append(_requirement(part))
    return {"matchExpressions": requirements}


def syntax_error(text: str) -> str | None:
    """Why a selector string is malformed, or None when it is well formed."""
    try:
        parse(text)
    except SelectorError as exc:
        return str(exc)
    return None


def _number(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _expression_matches(expr: Mapping[str, Any], labels: Mapping[str, str]) -> bool:
    key = str(expr.get("key", ""))
    op = str(expr.get("operator", ""))
    values = [str(v) for v in expr.get("values") or []]
    if op == "In":
        return key in labels and labels[key] in values
    if op == "NotIn":
        return key not in labels or labels[key] not in values
    if op == "Exists":
        return key in labels
    if op == "DoesNotExist":
        return key not in labels
    if op in ("Gt", "Lt") and values:
        have, bound = _number(labels.get(key)), _number(values[0])
        if have is None or bound is None:
            return False
        return have > bound if op == "Gt" else have < bound
    return False


def labels_contain(labels: Mapping[str, str], match_labels: Mapping[str, Any] | None) -> bool:
    """Whether ``labels`` carries every pair of ``match_labels`` (an empty selector matches)."""
    return all(k in labels and labels[k] == str(v) for k, v in (match_labels or {}).items())


def matches(selector: Mapping[str, Any] | None, labels: Mapping[str, str] | None) -> bool:
    """LabelSelector semantics: every matchLabels pair and every matchExpression; None matches all."""
    if selector is None:
        return True
    labels = labels or {}
    if not labels_contain(labels, selector.get("matchLabels")):
        return False
    return all(_expression_matches(e, labels) for e in selector.get("matchExpressions") or [])


def to_string(match_labels: Mapping[str, Any] | None) -> str:
    """A matchLabels map in the string form: ``a=1,b=2`` (keys sorted)."""
    return ",".join(f"{k}={v}" for k, v in sorted((match_labels or {}).items()))
