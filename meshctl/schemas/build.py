"""Reading the JSON Schema shapes that validation reports on specially."""

from __future__ import annotations

from typing import Any


def oneof_keys_of(subschemas: list[Any]) -> list[str] | None:
    """The keys of a "one of these fields" choice list, or None for any other ``oneOf``.

    Istio's CRDs say "at most one of a, b" as ``oneOf: [{not: {anyOf: [{required: [a]}, ...]}},
    {required: [a]}, {required: [b]}]`` (without the ``not`` branch: exactly one).
    """
    keys: list[str] = []
    for sub in subschemas:
        if not isinstance(sub, dict):
            return None
        if set(sub) == {"required"} and len(sub["required"]) == 1:
            keys.append(sub["required"][0])
        elif set(sub) != {"not"}:
            return None
    return keys
