"""Webhooks: Istio webhook configurations that call a missing service, or overlap on injection."""

from __future__ import annotations

from collections.abc import Iterator

from meshctl.analysis.message import Message
from meshctl.analysis.selectors import label_selector_matches
from meshctl.conventions import labels
from meshctl.conventions.webhooks import is_istio_webhook_config
from meshctl.precheck.model import PrecheckRequest, PrecheckSnapshot
from meshctl.precheck.registry import check, finding
from meshctl.resource import Resource

DEFAULT_INJECTION_NAMESPACE = {labels.INJECTION: "enabled"}


def is_istio_webhook(config: Resource) -> bool:
    """Whether a webhook configuration belongs to Istio (``conventions.webhooks``: the one rule)."""
    return is_istio_webhook_config(config.body)


def _services(config: Resource) -> Iterator[tuple[str, str]]:
    for hook in config.body.get("webhooks") or []:
        service = (hook.get("clientConfig") or {}).get("service") or {}
        if service.get("name") and service.get("namespace"):
            yield str(service["namespace"]), str(service["name"])


def _configs(snap: PrecheckSnapshot) -> list[Resource]:
    return [c for key in ("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration")
            for c in snap.of_kind(key) if is_istio_webhook(c)]


@check("orphaned-webhooks", "existing-mesh",
       "Every Istio webhook configuration calls a service that exists.",
       needs=("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "Service"),
       codes=("MSH0809",))
def orphaned_webhooks(snap: PrecheckSnapshot, req: PrecheckRequest) -> Iterator[Message]:
    """MSH0809 for each Istio webhook configuration whose service is missing."""
    services = {(s.namespace, s.name) for s in snap.of_kind("Service")}
    for config in _configs(snap):
        for ns, name in sorted(set(_services(config))):
            if (ns, name) not in services:
                yield finding("MSH0809", config, webhook=config.name, service=f"{ns}/{name}")


def _injects_default(config: Resource) -> bool:
    for hook in config.body.get("webhooks") or []:
        if label_selector_matches(hook.get("namespaceSelector"), DEFAULT_INJECTION_NAMESPACE) \
                and label_selector_matches(hook.get("objectSelector"), {}) \
                and "sidecar-injector" in str(hook.get("name", "")):
            return True
    return False


@check("conflicting-webhooks", "existing-mesh",
       "At most one injection webhook serves namespaces labelled istio-injection=enabled.",
       needs=("MutatingWebhookConfiguration",), codes=("MSH0810",))
def conflicting_webhooks(snap: PrecheckSnapshot, req: PrecheckRequest) -> Iterator[Message]:
    """MSH0810 when several mutating configurations inject the same default-labelled namespaces."""
    mutating = [c for c in snap.of_kind("MutatingWebhookConfiguration") if is_istio_webhook(c)]
    names = sorted(c.name for c in mutating if _injects_default(c))
    if len(names) > 1:
        yield finding("MSH0810", webhooks=", ".join(names))
