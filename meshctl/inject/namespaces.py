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
        return {"namespace": self.namespace, a.INJECTION_LABEL: self.injection, "revision": self.revision,
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


def labels_after(labels: Mapping[str, str], patch: Obj | None) -> dict[str, str]:
    """The labels once a merge patch of ``metadata.labels`` is applied (None deletes)."""
    changes = ((patch or {}).get("metadata") or {}).get("labels") or {}
    after = {k: v for k, v in labels.items() if k not in changes}
    after.update({k: v for k, v in changes.items() if v is not None})
    return dict(sorted(after.items()))


@dataclass(frozen=True)
class LabelRequest:
    """inject enable|disable: the namespace (None: the context's), revision, dry-run mode."""

    action: str
    namespace: str | None = None
    revision: str | None = None
    dry_run: str | None = None


@dataclass(frozen=True)
class LabelResult:
    """What enable/disable did (or would do)."""

    action: str
    namespace: str
    labels: dict[str, str]
    patch: Obj | None
    dry_run: str | None

    @property
    def changed(self) -> bool:
        """Whether the labels change."""
        return self.patch is not None

    def as_dict(self) -> Obj:
        """The json/yaml form: namespace, labels (after), changed."""
        return {"namespace": self.namespace, "labels": self.labels, "changed": self.changed}


def label_namespace(req: LabelRequest, client: Any) -> LabelResult:
    """Enable or disable injection on a namespace (a merge patch of its labels)."""
    from meshctl.errors import ClusterError

    ns = req.namespace or client.default_namespace
    obj = client.get("Namespace", ns)
    if obj is None:
        raise ClusterError(f"namespace {ns} not found")
    labels = _labels(obj)
    patch = enable_patch(labels, req.revision) if req.action == "enable" else disable_patch(labels)
    after = labels_after(labels, patch)
    if patch is not None and req.dry_run != "client":
        patched = client.merge_patch("Namespace", ns, patch, dry_run=req.dry_run == "server")
        after = dict(sorted(_labels(patched or {"metadata": {"labels": after}}).items()))
    return LabelResult(req.action, ns, after, patch, req.dry_run)


@dataclass(frozen=True)
class StatusRequest:
    """inject status: one namespace (None: the context's) or all."""

    namespace: str | None = None
    all_namespaces: bool = False


def injection_status(req: StatusRequest, client: Any) -> list[NamespaceStatus]:
    """Per namespace: injection labels, the acting webhooks, pods that need a restart."""
    configs = list(client.list("MutatingWebhookConfiguration"))
    if req.all_namespaces:
        namespaces, pods = list(client.list("Namespace")), list(client.list("Pod"))
    else:
        ns = req.namespace or client.default_namespace
        found = client.get("Namespace", ns) or {"metadata": {"name": ns, "labels": {}}}
        namespaces, pods = [found], list(client.list("Pod", namespace=ns))
    out = []
    for ns_obj in sorted(namespaces, key=lambda n: str(n["metadata"]["name"])):
        name = ns_obj["metadata"]["name"]
        mine = [p for p in pods if (p.get("metadata") or {}).get("namespace", name) == name]
        out.append(namespace_status(ns_obj, configs, mine))
    return out


def render_status(statuses: list[NamespaceStatus], output: str) -> str:
    """inject status as a table, json or yaml."""
    from meshctl.inject.checks import table
    from meshctl.report.data import render_data

    if output in ("json", "yaml"):
        return render_data([s.as_dict() for s in statuses], output)
    rows = [["NAMESPACE", "ISTIO-INJECTION", "REVISION", "WEBHOOK", "NEEDS RESTART"]]
    for s in statuses:
        restarts = ", ".join(f"{r.pod} ({r.reason})" for r in s.restarts) or "-"
        rows.append([s.namespace, s.injection or "-", s.revision or "-", ", ".join(s.webhooks) or "-", restarts])
    return table(rows, gap=3)


def render_label(result: LabelResult) -> str:
    """What enable/disable says: one line (and the patch for a client dry run)."""
    import json

    ns = result.namespace
    if result.patch is None:
        return f"namespace/{ns} unchanged: injection already {result.action}d\n"
    if result.dry_run == "client":
        return (f"namespace/{ns} would be labelled {describe_patch(result.patch)} (dry run)\n"
                f"{json.dumps(result.patch)}\n")
    suffix = " (server dry run)" if result.dry_run == "server" else ""
    return f"namespace/{ns} labelled {describe_patch(result.patch)}{suffix}\n"
