"""Small constructors for the JSON Schema (draft 2020-12) pieces the Istio schemas are made of.

Every object built with :func:`obj` rejects unknown fields. Shared sub-schemas live in
``$defs`` and are referenced with :func:`ref`, so each is written once.
"""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]

STR: Schema = {"type": "string"}
BOOL: Schema = {"type": "boolean"}
INT: Schema = {"type": "integer"}
UINT: Schema = {"type": "integer", "minimum": 0}
NUM: Schema = {"type": "number"}
PORT: Schema = {"type": "integer", "minimum": 0, "maximum": 65535}
PERCENT_NUM: Schema = {"type": "number", "minimum": 0, "maximum": 100}
PERCENT_INT: Schema = {"type": "integer", "minimum": 0, "maximum": 100}
STRS: Schema = {"type": "array", "items": STR}
LABELS: Schema = {"type": "object", "additionalProperties": STR}
#: A google.protobuf.Struct: any JSON object, not checked further.
STRUCT: Schema = {"type": "object"}
#: Anything at all (google.protobuf.Value).
ANY: Schema = {}


def ref(name: str) -> Schema:
    """A reference to a shared definition in ``$defs``."""
    return {"$ref": f"#/$defs/{name}"}


def obj(props: dict[str, Schema], required: tuple[str, ...] = (), **extra: Any) -> Schema:
    """A closed object: only ``props`` are allowed."""
    schema: Schema = {"type": "object", "properties": props, "additionalProperties": False}
    if required:
        schema["required"] = list(required)
    schema.update(extra)
    return schema


def arr(items: Schema, **extra: Any) -> Schema:
    """An array of ``items``."""
    return {"type": "array", "items": items, **extra}


def map_of(values: Schema) -> Schema:
    """An object used as a map from string keys to ``values``."""
    return {"type": "object", "additionalProperties": values}


def enum(*values: str) -> Schema:
    """A string restricted to ``values``."""
    return {"type": "string", "enum": list(values)}


def one_of_keys(*keys: str, allow_none: bool = True) -> Schema:
    """At most one (or, without ``allow_none``, exactly one) of ``keys`` may be present."""
    choices: list[Schema] = [{"required": [k]} for k in keys]
    if allow_none:
        choices.insert(0, {"not": {"anyOf": [{"required": [k]} for k in keys]}})
    return {"oneOf": choices}


def with_oneofs(schema: Schema, *groups: tuple[str, ...]) -> Schema:
    """Add one ``oneOf`` per group of mutually exclusive keys to an object schema."""
    rules = [one_of_keys(*group) for group in groups]
    if len(rules) == 1:
        return {**schema, **rules[0]}
    return {**schema, "allOf": rules}


def oneof_keys_of(subschemas: list[Schema]) -> list[str] | None:
    """The keys of a :func:`one_of_keys` choice list, or None for any other ``oneOf``."""
    keys: list[str] = []
    for sub in subschemas:
        if set(sub) == {"required"} and len(sub["required"]) == 1:
            keys.append(sub["required"][0])
        elif set(sub) != {"not"}:
            return None
    return keys
