"""JSON patch, JSON merge patch and strategic merge patch over plain dicts."""

from __future__ import annotations

import copy
from typing import Any

import jsonpatch

JSON_PATCH = "application/json-patch+json"
MERGE_PATCH = "application/merge-patch+json"
STRATEGIC_PATCH = "application/strategic-merge-patch+json"
APPLY_PATCH = "application/apply-patch+yaml"
PATCH_TYPES = (JSON_PATCH, MERGE_PATCH, STRATEGIC_PATCH, APPLY_PATCH)

# Lists merged by key (field name -> candidate keys); other lists are replaced.
MERGE_KEYS: dict[str, tuple[str, ...]] = {
    "containers": ("name",), "initContainers": ("name",), "ephemeralContainers": ("name",),
    "volumes": ("name",), "env": ("name",), "volumeMounts": ("mountPath",),
    "ports": ("containerPort", "port"), "imagePullSecrets": ("name",), "hostAliases": ("ip",),
    "conditions": ("type",), "envFrom": (), "ownerReferences": ("uid",),
    "volumeDevices": ("devicePath",), "topologySpreadConstraints": ("topologyKey",),
}
PRIMITIVE_MERGE_LISTS = {"finalizers"}


class PatchError(ValueError):
    """A patch that cannot be applied (the server answers 422 or 400)."""


def json_patch(obj: dict[str, Any], ops: Any) -> dict[str, Any]:
    """Apply an RFC 6902 JSON patch."""
    if not isinstance(ops, list):
        raise PatchError("json patch must be a list of operations")
    try:
        return jsonpatch.apply_patch(obj, ops, in_place=False)
    except (jsonpatch.JsonPatchException, jsonpatch.JsonPointerException, KeyError, IndexError) as exc:
        raise PatchError(f"the server rejected our request due to an error in our request: {exc}") from exc


def merge_patch(target: Any, patch: Any) -> Any:
    """Apply an RFC 7386 JSON merge patch."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def _merge_key(field: str, items: list[Any]) -> str | None:
    candidates = MERGE_KEYS.get(field)
    if not candidates:
        return None
    for key in candidates:
        if all(isinstance(i, dict) and key in i for i in items):
            return key
    return None


def _merge_list(field: str, current: Any, patch: list[Any]) -> list[Any]:
    current = current if isinstance(current, list) else []
    if field in PRIMITIVE_MERGE_LISTS:
        return current + [v for v in patch if v not in current]
    key = _merge_key(field, [i for i in patch if not (isinstance(i, dict) and "$patch" in i)] + current)
    if key is None:
        return [_strip(i) for i in patch if not (isinstance(i, dict) and i.get("$patch") == "delete")]
    result = [copy.deepcopy(i) for i in current]
    for item in patch:
        index = next((n for n, c in enumerate(result) if c.get(key) == item.get(key)), None)
        if item.get("$patch") == "delete":
            if index is not None:
                result.pop(index)
        elif index is None:
            result.append(_strip(item))
        else:
            result[index] = strategic_merge(result[index], item)
    return result


def _strip(value: Any) -> Any:
    """Drop strategic-merge directives from a value that is being inserted."""
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if not k.startswith("$") and v is not None}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def strategic_merge(target: Any, patch: Any) -> Any:
    """Apply a strategic merge patch (maps merged, keyed lists merged, other lists replaced)."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    if patch.get("$patch") == "replace":
        return _strip(patch)
    if patch.get("$patch") == "delete":
        return None
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if key.startswith("$"):
            continue
        if value is None:
            result.pop(key, None)
        elif isinstance(value, list):
            result[key] = _merge_list(key, result.get(key), value)
        elif isinstance(value, dict):
            merged = strategic_merge(result.get(key), value)
            if merged is None:
                result.pop(key, None)
            else:
                result[key] = merged
        else:
            result[key] = value
    return result
