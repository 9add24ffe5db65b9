"""externalcontrolplane.ExternalControlPlaneAnalyzer: webhook URLs of an external istiod."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register
from meshctl.resource import Resource

DEFAULT_VALIDATOR = "istiod-default-validator"
VALIDATOR_PREFIX = "istio-validator"
INJECTOR_PREFIX = "istio-sidecar-injector"
RESOLVE_OPTION = "resolve_webhook_hosts"


def is_ip(host: str) -> bool:
    """Whether ``host`` is a literal IPv4 or IPv6 address."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def resolves(host: str) -> bool:
    """Whether DNS returns at least one address for ``host``."""
    try:
        return bool(socket.getaddrinfo(host, None))
    except (OSError, UnicodeError):
        return False


def url_problem(url: str, resolver: Callable[[str], bool] | None) -> str | None:
    """Why a webhook URL is unusable (None if usable); ``ip`` for an IP literal host."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return "was provided in an invalid format"
    if host and is_ip(host):
        return "ip"
    if not host:
        return "cannot be resolved via a DNS lookup"
    if resolver is not None and not resolver(host):
        return "cannot be resolved via a DNS lookup"
    return None


def is_control_plane_webhook(res: Resource) -> bool:
    """Istio's validating or injecting webhook configurations, by name."""
    if res.key == "ValidatingWebhookConfiguration":
        return res.name == DEFAULT_VALIDATOR or res.name.startswith(VALIDATOR_PREFIX)
    return res.name.startswith(INJECTOR_PREFIX)


@register
class ExternalControlPlaneAnalyzer(Analyzer):
    """Checks that the remote cluster's webhooks reference a valid external control plane."""

    name = "externalcontrolplane.ExternalControlPlaneAnalyzer"
    inputs = ("ValidatingWebhookConfiguration", "MutatingWebhookConfiguration")
    codes = ("IST0163", "IST0164")

    def analyze(self, ctx: Context) -> None:
        """Check each webhook's clientConfig: a URL must be a resolvable hostname."""
        resolver = resolves if ctx.env.options.get(RESOLVE_OPTION) else None
        for kind in self.inputs:
            for res in ctx.resources.of_kind(kind):
                if not is_control_plane_webhook(res):
                    continue
                for index, hook in enumerate(res.body.get("webhooks") or []):
                    if isinstance(hook, dict):
                        self._check_hook(ctx, res, index, hook, resolver)

    @staticmethod
    def _check_hook(ctx: Context, res: Resource, index: int, hook: dict[str, Any],
                    resolver: Callable[[str], bool] | None) -> None:
        config = hook.get("clientConfig") or {}
        path = f"webhooks[{index}].clientConfig"
        name = str(hook.get("name", ""))
        url = config.get("url")
        if url is None:
            if config.get("service") is None:
                ctx.report("IST0163", res, path=path, address="''", webhook=name, detail="is blank")
            return
        problem = url_problem(str(url), resolver)
        if problem == "ip":
            ctx.report("IST0164", res, path=f"{path}.url", address=url, webhook=name)
        elif problem:
            ctx.report("IST0163", res, path=f"{path}.url", address=url, webhook=name, detail=problem)
