"""Reading the sidecar injector ConfigMap's ``values`` JSON."""

from __future__ import annotations

import json
from typing import Any

from meshctl.resource import Resource


def injector_values(cm: Resource) -> dict[str, Any]:
    """The parsed ``data.values`` of an injector ConfigMap, or an empty dict."""
    raw = (cm.body.get("data") or {}).get("values")
    try:
        values = json.loads(raw) if isinstance(raw, str) else None
    except ValueError:
        return {}
    return values if isinstance(values, dict) else {}


def enable_namespaces_by_default(cm: Resource) -> bool:
    """``sidecarInjectorWebhook.enableNamespacesByDefault`` of an injector ConfigMap."""
    webhook = injector_values(cm).get("sidecarInjectorWebhook")
    return isinstance(webhook, dict) and webhook.get("enableNamespacesByDefault") is True


def proxy_image(cm: Resource) -> str:
    """The proxy image the injector uses: ``global.proxy.image`` if it has a '/', else hub/image:tag."""
    glob = injector_values(cm).get("global")
    glob = glob if isinstance(glob, dict) else {}
    proxy = glob.get("proxy")
    image = str(proxy.get("image") or "") if isinstance(proxy, dict) else ""
    if "/" in image:
        return image
    return f"{glob.get('hub') or ''}/{image}:{glob.get('tag') or ''}"
