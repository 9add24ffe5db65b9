"""check-inject: which mutating webhooks inject a pod, and why (istioctl x check-inject's logic)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from meshctl.analysis.selectors import label_selector_matches
from meshctl.conventions import labels as names
from meshctl.conventions import selectors
from meshctl.conventions.webhooks import istio_webhooks
from meshctl.inject import annotations as a

NEVER_MATCH = {"matchLabels": {names.DEACTIVATED: "never-match"}}
DEACTIVATED = "The injection webhook is deactivated, and will never match labels."


@dataclass(frozen=True)
class WebhookVerdict:
    """One mutating webhook configuration's verdict on one pod."""

    webhook: str
    revision: str
    injected: bool
    reason: str

    def as_dict(self) -> dict[str, Any]:
        """The verdict as a plain mapping (webhook, revision, injected, reason)."""
        return asdict(self)


def _matched_label(selector: Mapping[str, Any] | None, labels: Mapping[str, str]) -> tuple[bool, str]:
    """Whether the selector matches, and the first In/NotIn label that made it so."""
    if selector is None:
        return True, ""
    if not label_selector_matches(selector, labels):
        return False, ""
    for expr in selector.get("matchExpressions") or []:
        if expr.get("operator") in ("In", "NotIn") and expr.get("key") in labels:
            return True, f"{expr['key']}={labels[expr['key']]}"
    return True, ""


def _in_labels(selector: Mapping[str, Any] | None) -> list[str]:
    if selector is None:
        return []
    return [f"{e.get('key')}={v}" for e in selector.get("matchExpressions") or []
            if e.get("operator") == "In" for v in e.get("values") or []]


def _no_match_reason(hooks: list[Mapping[str, Any]]) -> str:
    ns_labels: list[str] = []
    pod_labels: list[str] = []
    deactivated = False
    for hook in hooks:
        if hook.get("namespaceSelector") == NEVER_MATCH and hook.get("objectSelector") == NEVER_MATCH:
            deactivated = True
        ns_labels += _in_labels(hook.get("namespaceSelector"))
        pod_labels += _in_labels(hook.get("objectSelector"))
    if deactivated:
        return DEACTIVATED
    return (f"No matching namespace labels ({', '.join(ns_labels)}) "
            f"or pod labels ({', '.join(pod_labels)})")


def _pod_blocked(selector: Mapping[str, Any] | None, pod_labels: Mapping[str, str]) -> str | None:
    """The pod label that keeps a webhook whose namespace matches from injecting, as ``key=value``."""
    for expr in (selector or {}).get("matchExpressions") or []:
        key, op = expr.get("key"), expr.get("operator")
        if key not in pod_labels:
            continue
        if op == "DoesNotExist" or (op == "NotIn" and pod_labels[key] in (expr.get("values") or [])):
            return f"{key}={pod_labels[key]}"
    return None


def match_webhooks(hooks: list[Mapping[str, Any]], pod_labels: Mapping[str, str],
                   ns_labels: Mapping[str, str]) -> tuple[bool, str]:
    """Whether any webhook of one configuration matches, with istioctl's reason.

    Webhooks are tried in order. One whose namespace and object selectors both match
    injects, and the reason names the selector labels that matched; one where only the
    namespace matches explains the pod label that blocks it, and one where only the pod
    matches explains a namespace ``istio-injection`` label other than ``enabled``. Unlike
    istioctl, a match through selectors without In/NotIn terms still counts as injecting."""
    for hook in hooks:
        ns_ok, ns_label = _matched_label(hook.get("namespaceSelector"), ns_labels)
        pod_ok, pod_label = _matched_label(hook.get("objectSelector"), pod_labels)
        if ns_ok and pod_ok:
            if ns_label and pod_label:
                return True, f"Namespace label {ns_label} matches, and pod label {pod_label} matches"
            if ns_label:
                return True, f"Namespace label {ns_label} matches"
            if pod_label:
                return True, f"Pod label {pod_label} matches"
            # Selectors without In/NotIn terms (matchLabels, Exists): the API server calls the
            # webhook all the same, where istioctl would go on to the next one and miss it.
            return True, "Namespace and pod selectors match"
        elif ns_ok:
            blocked = _pod_blocked(hook.get("objectSelector"), pod_labels)
            if blocked:
                return False, f"Pod has {blocked} label, preventing injection"
        elif pod_ok:
            value = ns_labels.get(a.INJECTION_LABEL)
            if value is not None and value != "enabled":
                return False, f"Namespace has {a.INJECTION_LABEL}={value} label, preventing injection"
    return False, _no_match_reason(hooks)


def is_istio_webhook(mwc: Mapping[str, Any]) -> bool:
    """A MutatingWebhookConfiguration with a webhook whose name ends in ``istio.io``."""
    return bool(istio_webhooks(mwc))


def analyze(configs: Iterable[Mapping[str, Any]], pod_labels: Mapping[str, str],
            ns_labels: Mapping[str, str]) -> list[WebhookVerdict]:
    """Every Istio webhook configuration's verdict, sorted by name."""
    out = []
    for mwc in configs:
        if not is_istio_webhook(mwc):
            continue
        meta = mwc.get("metadata") or {}
        injected, reason = match_webhooks(list(mwc.get("webhooks") or []), pod_labels, ns_labels)
        out.append(WebhookVerdict(str(meta.get("name", "")), str((meta.get("labels") or {}).get(a.REV, "")),
                                  injected, reason))
    return sorted(out, key=lambda v: v.webhook)


#: A kubectl ``-l`` string (``a=b,c!=d,e,!f,g in (x,y)``) as a LabelSelector: the one parser.
parse_selector = selectors.parse
