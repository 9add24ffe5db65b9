"""What check-inject looks at: pods or pod templates, picked by name or selector."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from meshctl.analysis.selectors import label_selector_matches
from meshctl.errors import InputError
from meshctl.inject.engine import pod_template
from meshctl.inject.webhooks import parse_selector
from meshctl.resource import Resource


@dataclass(frozen=True)
class Subject:
    """A pod (or pod template) and the labels its pods will carry."""

    resource: Resource
    labels: dict[str, str]
    namespace: str


def pod_labels(obj: dict[str, Any]) -> dict[str, str] | None:
    """The labels of an object's pods (its template's labels), or None without pods."""
    tpl = pod_template(obj)
    if tpl is None:
        return None
    return {str(k): str(v) for k, v in ((tpl.get("metadata") or {}).get("labels") or {}).items()}


def to_subject(res: Resource, default_namespace: str) -> Subject | None:
    """A Subject for a resource with pods, or None."""
    labels = pod_labels(res.body)
    if labels is None:
        return None
    return Subject(res, labels, res.namespace or default_namespace)


def namespace_subject(namespace: str) -> Subject:
    """The namespace itself, for a pod without labels created there."""
    body = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}}
    return Subject(Resource.from_dict(body), {}, namespace)


def _named(res: Resource, name: str) -> bool:
    kind, sep, short = name.rpartition("/")
    if not sep:
        return res.kind == "Pod" and res.name == name
    return res.name == short and kind.lower() in (res.kind.lower(), res.kind.lower() + "s")


def select(resources: list[Resource], namespace: str | None, default_namespace: str,
           name: str | None = None, selector: str | None = None) -> list[Subject]:
    """Subjects among resources: by ``name`` (``pod`` or ``kind/name``), by ``selector``, or all."""
    subjects = [s for s in (to_subject(r, default_namespace) for r in resources) if s is not None]
    if namespace:
        subjects = [s for s in subjects if s.namespace == namespace]
    if name:
        subjects = [s for s in subjects if _named(s.resource, name)]
        if not subjects:
            raise InputError(f"{name}: no such pod or workload in the given files")
    if selector:
        parsed = parse_selector(selector)
        subjects = [s for s in subjects if label_selector_matches(parsed, s.labels)]
    return subjects
