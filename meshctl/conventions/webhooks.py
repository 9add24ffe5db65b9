"""What counts as an Istio webhook configuration.

istioctl decides by the webhooks' names: Istio names every webhook it installs
``<something>.istio.io`` (``rev.namespace.sidecar-injector.istio.io``, ``validation.istio.io``).
That rule works on the object alone, whoever labelled it; the labels and the name of the
configuration are a second sign for configurations that have no webhooks listed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from meshctl.conventions.labels import APP, REVISION, TAG

ISTIO_DOMAIN = "istio.io"
ISTIO_APPS = frozenset({"sidecar-injector", "istiod"})


def is_istio_webhook_name(name: object) -> bool:
    """Whether one webhook (an entry of ``webhooks:``) is Istio's, by its name."""
    return str(name or "").endswith(ISTIO_DOMAIN)


def istio_webhooks(config: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The webhooks of a webhook configuration (a plain mapping) that are Istio's."""
    return [h for h in config.get("webhooks") or [] if isinstance(h, dict) and is_istio_webhook_name(h.get("name"))]


def is_istio_webhook_config(config: Mapping[str, Any]) -> bool:
    """Whether a webhook configuration belongs to Istio: one of its webhooks is Istio's, or (for a
    configuration listing none) its labels or name say so."""
    if istio_webhooks(config):
        return True
    if config.get("webhooks"):
        return False
    meta = config.get("metadata") or {}
    labels = meta.get("labels") or {}
    return (labels.get(APP) in ISTIO_APPS or REVISION in labels or TAG in labels
            or str(meta.get("name", "")).startswith("istio"))
