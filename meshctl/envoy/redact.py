"""Never print secrets: every field Envoy's API marks ``udpa.annotations.sensitive`` is redacted.

The walk follows message types: an object's ``@type`` (or a TypedStruct's ``type_url``) names its message,
and :data:`~meshctl.envoy.sensitive_data.PATHS` says which fields lead to a sensitive one. Under a type the
tables do not know, fields named like a sensitive field of any Envoy message are redacted as well (a
safety net for types newer than the tables, or a dump whose ``@type`` is damaged), unless the value
names its own type. A redacted field keeps its name and shape: every string in
it becomes ``[redacted]``, other scalars their zero value, as Envoy's own admin redaction does.
"""

from __future__ import annotations

from typing import Any

from meshctl.envoy.sensitive_data import PATHS, SENSITIVE

MARK = "[redacted]"
_TYPED_STRUCTS = ("udpa.type.v1.TypedStruct", "xds.type.v3.TypedStruct")
#: Field names redacted under a type the tables do not know: every name that is sensitive in some
#: Envoy message (``users`` of basic auth, ``keys`` of session tickets, ``private_key``, ...).
NET = frozenset().union(*SENSITIVE.values())


def _type_name(type_url: Any) -> str | None:
    return type_url.rsplit("/", 1)[-1] if isinstance(type_url, str) else None


def _says_type(value: Any) -> bool:
    """Whether a field's value names its own message type (an Any with ``@type``): it is then
    walked as that type instead of being redacted by name."""
    return isinstance(value, dict) and isinstance(value.get("@type"), str)


def _blank(node: Any) -> Any:
    """``node`` with the same keys and lists, every string redacted (``@type`` kept)."""
    if isinstance(node, dict):
        return {k: (v if k == "@type" else _blank(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [_blank(v) for v in node]
    if isinstance(node, str):
        return MARK
    if isinstance(node, bool):
        return False
    if isinstance(node, int | float):
        return 0
    return node


def _message(node: dict[str, Any], message: str | None) -> dict[str, Any]:
    own = _type_name(node.get("@type"))
    if own in _TYPED_STRUCTS:
        inner = _type_name(node.get("type_url", node.get("typeUrl")))
        return {k: (_walk(v, inner) if k == "value" else v) for k, v in node.items()}
    if own is not None:
        message = own
    sensitive = SENSITIVE.get(message or "")
    children = PATHS.get(message or "", {})
    known = message in SENSITIVE or message in PATHS
    out: dict[str, Any] = {}
    for key, value in node.items():
        if (sensitive and key in sensitive) or (not known and key in NET and not _says_type(value)):
            out[key] = _blank(value)
            continue
        child = children.get(key)
        if child is not None and child.startswith("*") and isinstance(value, dict):
            out[key] = {k: _walk(v, child[1:]) for k, v in value.items()}
        else:
            out[key] = _walk(value, child)
    return out


def _walk(node: Any, message: str | None) -> Any:
    if isinstance(node, dict):
        return _message(node, message)
    if isinstance(node, list):
        return [_walk(v, message) for v in node]
    return node


def redact(node: Any, message: str | None = None) -> Any:
    """A copy of ``node`` (of message type ``message`` when known) with every sensitive field redacted."""
    return _walk(node, message)
