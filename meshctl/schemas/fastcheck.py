"""A fast yes/no check of a document against a ref-free JSON Schema.

jsonschema gives precise errors but costs milliseconds per resource; most resources are valid.
:func:`compile_check` turns a schema into nested closures that answer only "is it valid?".
Invalid documents (and schemas using keywords not handled here) go to jsonschema for the errors.
The check is exact for the keywords it handles, so a True answer means jsonschema finds nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from meshctl.schemas.build import oneof_keys_of

Check = Callable[[Any], bool]
_IGNORED = frozenset({"$schema", "$id", "title", "description", "default", "examples", "format",
                      "$comment", "deprecated", "readOnly", "writeOnly"})


class Unsupported(Exception):
    """The schema uses a keyword this checker does not implement."""


def _is_type(value: Any, name: str) -> bool:
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "string":
        return isinstance(value, str)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "null":
        return value is None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return name == "number" or isinstance(value, int) or float(value).is_integer()


_PY_TYPES: dict[str, type | tuple[type, ...]] = {"object": dict, "array": list, "string": str}


def _type_check(spec: Any) -> Check:
    if isinstance(spec, str) and spec in _PY_TYPES:
        py_type = _PY_TYPES[spec]
        return lambda v: isinstance(v, py_type)
    names = spec if isinstance(spec, list) else [spec]
    return lambda v: any(_is_type(v, n) for n in names)


def _object_check(schema: dict[str, Any]) -> Check | None:
    props = {k: compile_check(s) for k, s in (schema.get("properties") or {}).items()}
    extra = schema.get("additionalProperties", True)
    extra_check = compile_check(extra) if isinstance(extra, dict) else None
    required = tuple(schema.get("required") or ())
    max_props = schema.get("maxProperties")
    min_props = schema.get("minProperties")
    if not props and extra is True and not required and max_props is None and min_props is None:
        return None

    def check(value: Any) -> bool:
        if not isinstance(value, dict):
            return True
        if max_props is not None and len(value) > max_props:
            return False
        if min_props is not None and len(value) < min_props:
            return False
        for key in required:
            if key not in value:
                return False
        for key, item in value.items():
            sub = props.get(key)
            if sub is not None:
                if not sub(item):
                    return False
            elif extra is False or (extra_check is not None and not extra_check(item)):
                return False
        return True
    return check


def _array_check(schema: dict[str, Any]) -> Check | None:
    low, high = schema.get("minItems", 0), schema.get("maxItems")
    if "items" not in schema and not low and high is None:
        return None
    item = compile_check(schema.get("items", {}))

    def check(value: Any) -> bool:
        if isinstance(value, list):
            if len(value) < low or (high is not None and len(value) > high):
                return False
            for element in value:
                if not item(element):
                    return False
        return True
    return check


def _scalar_checks(schema: dict[str, Any]) -> list[Check]:
    checks: list[Check] = []
    if "enum" in schema:
        allowed = list(schema["enum"])
        hashable = frozenset(a for a in allowed if isinstance(a, str))
        if len(hashable) == len(allowed):
            checks.append(lambda v: isinstance(v, str) and v in hashable)
        else:
            checks.append(lambda v: v in allowed)
    if "minimum" in schema:
        low = schema["minimum"]
        checks.append(lambda v: not _is_type(v, "number") or v >= low)
    if "maximum" in schema:
        high = schema["maximum"]
        checks.append(lambda v: not _is_type(v, "number") or v <= high)
    if "minLength" in schema:
        size = schema["minLength"]
        checks.append(lambda v: not isinstance(v, str) or len(v) >= size)
    if "maxLength" in schema:
        limit = schema["maxLength"]
        checks.append(lambda v: not isinstance(v, str) or len(v) <= limit)
    if "pattern" in schema:
        regex = re.compile(schema["pattern"])
        checks.append(lambda v: not isinstance(v, str) or regex.search(v) is not None)
    return checks


def _junctor_checks(schema: dict[str, Any]) -> list[Check]:
    checks: list[Check] = []
    if "allOf" in schema:
        subs = [compile_check(s) for s in schema["allOf"]]
        checks.append(lambda v: all(s(v) for s in subs))
    if "anyOf" in schema:
        any_subs = [compile_check(s) for s in schema["anyOf"]]
        checks.append(lambda v: any(s(v) for s in any_subs))
    if "oneOf" in schema:
        checks.append(_one_of(schema["oneOf"]))
    if "not" in schema:
        negated = compile_check(schema["not"])
        checks.append(lambda v: not negated(v))
    return checks


def _one_of(choices: list[Any]) -> Check:
    keys = oneof_keys_of(choices)
    if keys is not None:
        allow_none = len(keys) < len(choices)
        low = 0 if allow_none else 1

        def count_keys(v: Any) -> bool:
            if not isinstance(v, dict):
                return True
            present = 0
            for key in keys:
                if key in v:
                    present += 1
            return low <= present <= 1
        return count_keys
    subs = [compile_check(s) for s in choices]
    return lambda v: sum(1 for s in subs if s(v)) == 1


_HANDLED = frozenset({"type", "properties", "additionalProperties", "required", "maxProperties", "minProperties",
                      "items", "minItems", "maxItems", "enum", "minimum", "maximum", "minLength", "maxLength",
                      "pattern", "allOf", "anyOf", "oneOf", "not"})


def compile_check(schema: Any) -> Check:
    """A function answering whether a value is valid under ``schema``; raises Unsupported."""
    if schema is True or schema == {}:
        return lambda v: True
    if schema is False:
        return lambda v: False
    unknown = set(schema) - _HANDLED - _IGNORED
    if unknown:
        raise Unsupported(", ".join(sorted(unknown)))
    checks: list[Check] = []
    if "type" in schema:
        checks.append(_type_check(schema["type"]))
    for extra in (_object_check(schema), _array_check(schema)):
        if extra is not None:
            checks.append(extra)
    checks += _scalar_checks(schema) + _junctor_checks(schema)
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda v: first(v) and second(v)

    def every(v: Any) -> bool:
        for check in checks:  # noqa: SIM110 - a plain loop is faster here than all() over a generator
            if not check(v):
                return False
        return True
    return every
