"""JSON and YAML: a list of message objects with istioctl's keys."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from meshctl.analysis.message import Message
from meshctl.analysis.result import Result
from meshctl.report import data


def message_dict(m: Message) -> dict[str, Any]:
    """istioctl's keys (code, level, origin, reference, message, documentationUrl) and ours."""
    return {
        "code": m.code,
        "level": m.level.label,
        "type": {"code": m.code, "name": m.name_of_type},
        "origin": m.origin,
        "reference": m.reference,
        "message": m.text,
        "documentationUrl": m.documentation_url,
        "analyzer": m.analyzer,
        **({"path": m.path} if m.path else {}),
    }


_SCALARS = (str, int, float, bool, type(None))
_ascii = json.encoder.encode_basestring_ascii  # what json.dumps does with a str (ensure_ascii)


def _indented(value: Any, pad: str) -> str:
    """``json.dumps(value, indent=2)`` (continuation lines starting with ``pad``) for the flat
    mappings of strings and numbers a message is: the scalars go through the C encoder, as
    ``indent`` would make json walk every value in Python; anything else through json itself."""
    if type(value) is str:
        return _ascii(value)
    if isinstance(value, _SCALARS):
        return json.dumps(value)
    if not isinstance(value, dict) or not value or not all(isinstance(k, str) for k in value):
        return json.dumps(value, indent=2).replace("\n", "\n" + pad)
    inner = pad + "  "
    items = [f"{inner}{_ascii(k)}: {_indented(v, inner)}" for k, v in value.items()]
    return "{\n" + ",\n".join(items) + "\n" + pad + "}"


def stream_json(result: Result) -> Iterator[str]:
    """The JSON array in pieces, one message at a time (the text of ``json.dumps(list, indent=2)``),
    so a run with 100k findings never holds all of them rendered at once."""
    shown = result.shown
    if not shown:
        yield "[]\n"
        return
    for index, m in enumerate(shown):
        yield ("[\n  " if index == 0 else ",\n  ") + _indented(message_dict(m), "  ")
    yield "\n]\n"


def render_json(result: Result) -> str:
    """A JSON array of messages."""
    return "".join(stream_json(result))


def render_yaml(result: Result) -> str:
    """A YAML list of messages."""
    return data.to_yaml([message_dict(m) for m in result.shown])
