"""Server-side apply: field ownership recorded in metadata.managedFields (FieldsV1 format)."""

from __future__ import annotations

import copy
from typing import Any

from .patching import strategic_merge

Path = tuple[str, ...]
_SYSTEM_META = {"uid", "resourceVersion", "creationTimestamp", "generation", "managedFields",
                "selfLink", "deletionTimestamp"}
_IDENTITY = {"apiVersion", "kind"}


class ApplyConflict(Exception):
    """Fields owned by other managers would change (409 unless force=true)."""

    def __init__(self, conflicts: list[tuple[str, Path]]) -> None:
        super().__init__(conflicts)
        self.conflicts = conflicts

    def message(self) -> str:
        """The real server's wording, roughly."""
        parts = [f'conflict with "{m}": .{".".join(p)}' for m, p in self.conflicts]
        n = len(parts)
        head = f"Apply failed with {n} conflict{'s' if n > 1 else ''}: "
        return head + "\n".join(parts)


def leaf_paths(obj: Any, prefix: Path = ()) -> set[Path]:
    """Paths of leaves in a config; lists count as leaves, metadata system fields are skipped."""
    if not isinstance(obj, dict) or not obj:
        return {prefix} if prefix else set()
    out: set[Path] = set()
    for key, value in obj.items():
        if not prefix and key in _IDENTITY:
            continue
        if prefix == ("metadata",) and key in _SYSTEM_META | {"name", "namespace"}:
            continue
        if not prefix and key == "status":
            continue
        out |= leaf_paths(value, (*prefix, key))
    return out


def to_fields_v1(paths: set[Path]) -> dict[str, Any]:
    """Encode paths as FieldsV1 (``{"f:spec": {"f:replicas": {}}}``)."""
    root: dict[str, Any] = {}
    for path in sorted(paths):
        node = root
        for part in path:
            node = node.setdefault(f"f:{part}", {})
    return root


def from_fields_v1(fields: dict[str, Any], prefix: Path = ()) -> set[Path]:
    """Decode FieldsV1 back to leaf paths."""
    out: set[Path] = set()
    for key, child in (fields or {}).items():
        if not key.startswith("f:"):
            continue
        path = (*prefix, key[2:])
        out |= from_fields_v1(child, path) if child else {path}
    return out


def _get(obj: Any, path: Path) -> Any:
    for part in path:
        if not isinstance(obj, dict) or part not in obj:
            return _MISSING
        obj = obj[part]
    return obj


def _delete(obj: dict[str, Any], path: Path) -> None:
    parent = _get(obj, path[:-1])
    if isinstance(parent, dict):
        parent.pop(path[-1], None)


_MISSING = object()


def _owners(obj: dict[str, Any]) -> list[dict[str, Any]]:
    return list((obj.get("metadata") or {}).get("managedFields") or [])


def _conflicts(current: dict[str, Any], config: dict[str, Any], manager: str) -> list[tuple[str, Path]]:
    found = []
    for entry in _owners(current):
        if entry.get("manager") == manager:
            continue
        for path in from_fields_v1(entry.get("fieldsV1") or {}) & leaf_paths(config):
            if _get(current, path) != _get(config, path):
                found.append((entry.get("manager", ""), path))
    return found


def record(obj: dict[str, Any], manager: str, operation: str, paths: set[Path], now: str) -> None:
    """Give ``paths`` to ``manager`` (taking them from every other manager)."""
    meta = obj.setdefault("metadata", {})
    entries = []
    for entry in meta.get("managedFields") or []:
        if (entry.get("manager"), entry.get("operation")) == (manager, operation):
            continue
        rest = from_fields_v1(entry.get("fieldsV1") or {}) - paths
        if rest:
            entries.append({**entry, "fieldsV1": to_fields_v1(rest)})
    entries.append({
        "manager": manager, "operation": operation, "apiVersion": obj.get("apiVersion", ""),
        "time": now, "fieldsType": "FieldsV1", "fieldsV1": to_fields_v1(paths),
    })
    meta["managedFields"] = entries


def apply(current: dict[str, Any] | None, config: dict[str, Any], manager: str, force: bool,
          now: str) -> dict[str, Any]:
    """The object after ``manager`` applies ``config`` to ``current`` (None: create)."""
    paths = leaf_paths(config)
    if current is None:
        result = copy.deepcopy(config)
        record(result, manager, "Apply", paths, now)
        return result
    conflicts = _conflicts(current, config, manager)
    if conflicts and not force:
        raise ApplyConflict(conflicts)
    result = strategic_merge(current, config)
    mine = next((e for e in _owners(current) if (e.get("manager"), e.get("operation")) == (manager, "Apply")),
                None)
    others: set[Path] = set()
    for entry in _owners(current):
        if entry is not mine:
            others |= from_fields_v1(entry.get("fieldsV1") or {})
    if mine is not None:
        for path in from_fields_v1(mine.get("fieldsV1") or {}) - paths - others:
            _delete(result, path)
    record(result, manager, "Apply", paths, now)
    return result
