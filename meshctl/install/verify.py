"""verify-install: the recorded (or given) install against the cluster: missing, drifted, not ready, left over.

:func:`compare` is pure: manifest objects and their live copies in, messages out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from meshctl.analysis.message import Message
from meshctl.install.manifest import describe, identity
from meshctl.install.meta import Obj
from meshctl.install.readiness import WORKLOAD_KINDS, not_ready_reason

_SUFFIX: dict[str, Decimal | int] = {"": 1, "m": Decimal("0.001"), "k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12,
           "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40}
_QUANTITY = re.compile(r"^([0-9.]+)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$")


def quantity(value: Any) -> Decimal | None:
    """A Kubernetes quantity as a number (``2048Mi`` == ``2Gi``), or None when it is not one."""
    match = _QUANTITY.match(str(value))
    if not match:
        return None
    try:
        return Decimal(match.group(1)) * _SUFFIX[match.group(2) or ""]
    except InvalidOperation:
        return None


def _same(expected: Any, actual: Any) -> bool:
    if expected == actual:
        return True
    if actual is None and expected in ("", {}, [], None):  # the API server drops empty fields
        return True
    if isinstance(expected, str | int) and isinstance(actual, str | int):
        q1, q2 = quantity(expected), quantity(actual)
        return q1 is not None and q1 == q2
    return False


def _named(items: Sequence[Any]) -> bool:
    return bool(items) and all(isinstance(i, dict) and "name" in i for i in items)


def drift(expected: Any, actual: Any, path: str = "") -> Iterator[tuple[str, Any, Any]]:
    """(path, expected, actual) for every field we set whose live value differs.

    Maps compare only the keys we set (the server adds defaults); lists of named items match by
    name; other lists compare item by item and must have the same length.
    """
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            yield path, expected, actual
            return
        for key in sorted(expected):
            yield from drift(expected[key], actual.get(key), f"{path}.{key}" if path else key)
    elif isinstance(expected, list):
        if not isinstance(actual, list):
            yield path, expected, actual
        elif _named(expected) and _named(actual):
            live = {i["name"]: i for i in actual}
            for item in expected:
                yield from drift(item, live.get(item["name"]), f"{path}[name={item['name']}]")
        elif len(expected) != len(actual):
            yield path, expected, actual
        else:
            for index, (e, a) in enumerate(zip(expected, actual, strict=True)):
                yield from drift(e, a, f"{path}[{index}]")
    elif not _same(expected, actual):
        yield path, expected, actual


def _show(value: Any) -> str:
    if value is None:
        return "unset"
    text = json.dumps(value, sort_keys=True) if isinstance(value, dict | list) else str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _origin(obj: Obj) -> str:
    return describe(obj)


def _drift_messages(obj: Obj, live: Obj) -> list[Message]:
    wanted = {k: v for k, v in obj.items() if k not in ("apiVersion", "kind")}
    wanted["metadata"] = {"labels": obj["metadata"].get("labels") or {}}
    return [Message.build("MSH0702", None, {"object": _origin(obj), "field": path, "expected": _show(e),
                                            "actual": _show(a)}, analyzer="verify-install",
                          origin=_origin(obj), path=path)
            for path, e, a in drift(wanted, live)]


def compare(objects: Sequence[Obj], live: Mapping[tuple[str, str, str, str], Obj | None],
            labelled: Sequence[Obj] = (), revision: str = "default") -> list[Message]:
    """Messages for missing, drifted and unready objects, and labelled objects not in the manifest."""
    out: list[Message] = []
    for obj in objects:
        current = live.get(identity(obj))
        origin = _origin(obj)
        if current is None:
            out.append(Message.build("MSH0701", None, {"object": origin}, "verify-install", origin=origin))
            continue
        out += _drift_messages(obj, current)
        if obj["kind"] in WORKLOAD_KINDS:
            reason = not_ready_reason(current)
            if reason:
                out.append(Message.build("MSH0703", None, {"object": origin, "reason": reason},
                                         "verify-install", origin=origin))
    wanted = {identity(o)[1:] for o in objects}
    for obj in labelled:
        if identity(obj)[1:] not in wanted:
            origin = _origin(obj)
            out.append(Message.build("MSH0704", None, {"object": origin, "revision": revision},
                                     "verify-install", origin=origin))
    return out


def gather(fetch: Callable[[Obj], Obj | None], objects: Sequence[Obj]
           ) -> dict[tuple[str, str, str, str], Obj | None]:
    """The live copy of each manifest object (None when missing)."""
    return {identity(o): fetch(o) for o in objects}

