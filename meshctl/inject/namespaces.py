"""Namespace injection labels: the merge patches enable/disable send, and status rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from meshctl.inject import annotations as a
from meshctl.inject.engine import injected_revision
from meshctl.inject.webhooks import analyze

Obj = dict[str, Any]


def _labels_patch(changes: Mapping[str, str | None]) -> Obj | None:
    return {"metadata": {"labels": dict(changes)}} if changes else None


def enable_patch(labels: Mapping[str, str], revision: str | None = None) -> Obj | None:
    """The merge patch enabling injection, or None when the labels already say so.

    Without a revision: ``istio-injection=enabled`` and no ``istio.io/rev``. With one:
    ``istio.io/rev=REV`` and no ``istio-injection`` (which would win over the revision).
    """
    changes: dict[str, str | None] = {}
    if revision:
        if labels.get(a.REV) != revision:
            changes[a.REV] = revision
        if a.INJECTION_LABEL in labels:
            changes[a.INJECTION_LABEL] = None
    else:
        if labels.get(a.INJECTION_LABEL) != "enabled":
            changes[a.INJECTION_LABEL] = "enabled"
        if a.REV in labels:
            changes[a.REV] = None
    return _labels_patch(changes)


def disable_patch(labels: Mapping[str, str]) -> Obj | None:
    """The merge patch removing both injection labels, or None when neither is set."""
    return _labels_patch({k: None for k in (a.INJECTION_LABEL, a.REV) if k in labels})


def describe_patch(patch: Obj | None) -> str:
    """``istio-injection=enabled, istio.io/rev-`` (kubectl's spelling), or ``no change``."""
    if not patch:
        return "no change"
    labels = patch["metadata"]["labels"]
    return ", ".join(f"{k}-" if v is None else f"{k}={v}" for k, v in labels.items())


@dataclass(frozen=True)
class PodRestart:
    """A pod whose sidecar does not match what the webhook would inject now."""

    pod: str
    reason: str


@dataclass(frozen=True)
class NamespaceStatus:
    """One namespace's injection state."""

    namespace: str
    injection: str
    revision: str
    webhooks: list[str]
    restarts: list[PodRestart] = field(default_factory=list)

    def as_dict(self) -> Obj:
        """A plain mapping for json/yaml output."""
        return {"namespace": self.namespace, "istio-injection": self.injection, "revision": self.revision,
                "webhooks": self.webhooks,
                "needsRestart": [{"pod": r.pod, "reason": r.reason} for r in self.restarts]}


def _labels(obj: Mapping[str, Any]) -> dict[str, str]:
    return {str(k): str(v) for k, v in ((obj.get("metadata") or {}).get("labels") or {}).items()}


def pod_restart(pod: Obj, ns_labels: Mapping[str, str], configs: list[Obj]) -> PodRestart | None:
    """Why a pod needs a restart to match the webhooks, or None."""
    name = str((pod.get("metadata") or {}).get("name", ""))
    acting = [v for v in analyze(configs, _labels(pod), ns_labels) if v.injected]
    have = injected_revision(pod)
    if not acting:
        return None
    want = acting[0].revision or "default"
    if have is None:
        return PodRestart(name, f"no sidecar; {acting[0].webhook} would inject revision {want}")
    if have != want:
        return PodRestart(name, f"sidecar from revision {have}; {acting[0].webhook} would inject {want}")
    return None


def namespace_status(namespace: Obj, configs: list[Obj], pods: list[Obj]) -> NamespaceStatus:
    """The injection state of one namespace and the pods in it."""
    labels = _labels(namespace)
    acting = [v.webhook for v in analyze(configs, {}, labels) if v.injected]
    restarts = [r for r in (pod_restart(p, labels, configs) for p in pods) if r is not None]
    return NamespaceStatus(str((namespace.get("metadata") or {}).get("name", "")),
                           labels.get(a.INJECTION_LABEL, ""), labels.get(a.REV, ""), acting,
                           sorted(restarts, key=lambda r: r.pod))
