"""The check-inject use case: which webhooks inject which pods, from files or the cluster."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from meshctl.errors import ClusterError
from meshctl.inject import subjects as s
from meshctl.inject.checks import PodCheck, check
from meshctl.inject.webhooks import is_istio_webhook

Connect = Callable[[], Any]
Obj = dict[str, Any]


@dataclass(frozen=True)
class CheckInjectRequest:
    """A pod or ``kind/name``, a label selector, or files (with the namespace to look in)."""

    pod: str | None = None
    selector: str | None = None
    files: Sequence[str] = ()
    namespace: str | None = None


@dataclass
class CheckInjectResult:
    """Every subject's verdicts, and notes on where the webhooks came from."""

    checks: list[PodCheck]
    notes: list[str] = field(default_factory=list)


def _foreign_note(configs: list[Obj]) -> str | None:
    if any(is_istio_webhook(c) for c in configs):
        return None
    names = ", ".join(str((c.get("metadata") or {}).get("name", "?")) for c in configs)
    return (f"Note: none of the {len(configs)} MutatingWebhookConfiguration(s) in the given files ({names}) is an "
            "Istio injector (no webhook named *istio.io); the cluster's webhooks were not read")


def _cluster_webhooks(resources: list[Any], connect: Connect, notes: list[str]) -> list[Obj]:
    others = [f"{r.kind} {r.name}" for r in resources if r.kind.endswith("WebhookConfiguration")]
    found = f" (only {', '.join(others)}, which is not mutating)" if others else ""
    try:
        configs = list(connect().list("MutatingWebhookConfiguration"))
    except ClusterError as exc:
        raise ClusterError(f"the given files hold no MutatingWebhookConfiguration{found}, and the cluster's "
                           f"could not be read: {exc}") from None
    notes.append(f"Note: the given files hold no MutatingWebhookConfiguration{found}; using the cluster's")
    return configs


def _from_files(req: CheckInjectRequest, connect: Connect, notes: list[str]) -> list[PodCheck]:
    from meshctl.sources.files import load_paths

    resources = load_paths(list(req.files))
    configs = [r.body for r in resources if r.kind == "MutatingWebhookConfiguration"]
    ns_labels = {r.name: r.labels for r in resources if r.kind == "Namespace"}
    if configs:
        note = _foreign_note(configs)
        if note:
            notes.append(note)
    else:
        configs = _cluster_webhooks(resources, connect, notes)
    found = s.select(resources, req.namespace, req.namespace or "default", req.pod, req.selector)
    if not found and not req.pod and not req.selector:
        found = [s.namespace_subject(req.namespace or "default")]
    return [check(x.resource, x.labels, ns_labels.get(x.namespace, {}), configs) for x in found]


def _from_cluster(req: CheckInjectRequest, client: Any) -> list[PodCheck]:
    from meshctl.kinds import KINDS
    from meshctl.resource import Resource

    ns = req.namespace or client.default_namespace
    if req.pod:
        kind, _, name = req.pod.rpartition("/")
        key = next((k for k, i in KINDS.items() if kind.lower() in (k.lower(), i.plural)), "Pod")
        obj = client.get(key, name, namespace=ns)
        if obj is None:
            raise ClusterError(f"{req.pod} not found in namespace {ns}")
        found = [x for x in [s.to_subject(Resource.from_dict(obj), ns)] if x]
    elif req.selector:
        found = [x for x in (s.to_subject(Resource.from_dict(p), ns)
                             for p in client.list("Pod", namespace=ns, label_selector=req.selector)) if x]
    else:
        found = [s.namespace_subject(ns)]
    ns_obj = client.get("Namespace", ns) or {}
    labels = (ns_obj.get("metadata") or {}).get("labels") or {}
    configs = list(client.list("MutatingWebhookConfiguration"))
    return [check(x.resource, x.labels, labels, configs) for x in found]


def check_inject(req: CheckInjectRequest, connect: Connect) -> CheckInjectResult:
    """Evaluate every Istio webhook for the requested pods."""
    notes: list[str] = []
    checks = _from_files(req, connect, notes) if req.files else _from_cluster(req, connect())
    if not checks:
        notes.append("no pods matched")
    return CheckInjectResult(checks, notes)
