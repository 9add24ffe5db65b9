"""How meshctl marks what it installed: one annotation on every object, one record per release."""

from __future__ import annotations

from typing import Any

Obj = dict[str, Any]
MANAGER = "meshctl"
#: On every object an install applied and owns: ``<namespace>/<release>`` (as Helm's release annotations).
RELEASE = "install.meshctl.io/release"
#: On the release record Secret.
RECORD_LABEL = "install.meshctl.io/record"
#: The label selector of every release record.
RECORD_SELECTOR = f"{RECORD_LABEL}=true"
RECORD_TYPE = "meshctl.io/release.v1"


def release_id(namespace: str, release: str) -> str:
    """``<namespace>/<release>``: the value of the :data:`RELEASE` annotation."""
    return f"{namespace}/{release}"


def owner_of(obj: Obj | None) -> str | None:
    """The release an object is annotated as belonging to, if any."""
    return (((obj or {}).get("metadata") or {}).get("annotations") or {}).get(RELEASE)


def annotated(obj: Obj, owner: str) -> Obj:
    """A copy of ``obj`` carrying the :data:`RELEASE` annotation."""
    meta = dict(obj.get("metadata") or {})
    meta["annotations"] = {**(meta.get("annotations") or {}), RELEASE: owner}
    return {**obj, "metadata": meta}
