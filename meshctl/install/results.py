"""What install and uninstall did, object by object, as plain rows for ``-o json|yaml``. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from meshctl.install.meta import Obj

#: apply's outcomes (``configured`` as kubectl says it) in the words of ``-o json|yaml``.
ACTIONS = {"created": "created", "configured": "updated", "unchanged": "unchanged"}
#: The same under ``--dry-run=server``: nothing was written.
DRY_RUN_ACTIONS = {"created": "would-create", "configured": "would-update", "unchanged": "unchanged"}


def object_row(obj: Obj, action: str) -> dict[str, Any]:
    """``{kind, namespace, name, action}``; namespace is None for cluster-scoped objects."""
    meta = obj.get("metadata") or {}
    return {"kind": obj.get("kind"), "namespace": meta.get("namespace"), "name": meta.get("name"),
            "action": action}


def apply_rows(outcomes: Iterable[tuple[str, Obj]], dry_run: bool = False) -> list[dict[str, Any]]:
    """Rows of an install (or a server dry run) from apply's ``(outcome, object)`` pairs."""
    names = DRY_RUN_ACTIONS if dry_run else ACTIONS
    return [object_row(obj, names.get(outcome, outcome)) for outcome, obj in outcomes]
