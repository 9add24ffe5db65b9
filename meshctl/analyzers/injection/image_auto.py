"""injection.ImageAutoAnalyzer: ``image: auto`` proxies that no injector will fill in."""

from __future__ import annotations

from typing import Any

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register
from meshctl.analysis.selectors import PROXY_CONTAINER, label_selector_matches, pod_spec
from meshctl.conventions import webhooks as conventions_webhooks

AUTO_IMAGE = "auto"


def has_auto_image(spec: dict[str, Any]) -> bool:
    """Whether a pod spec has an istio-proxy container with ``image: auto``."""
    return any(c.get("name") == PROXY_CONTAINER and c.get("image") == AUTO_IMAGE
               for c in spec.get("containers") or [] if isinstance(c, dict))


def istio_webhooks(configs: list[Any]) -> list[dict[str, Any]]:
    """Webhooks, from every MutatingWebhookConfiguration, whose name ends in ``istio.io``."""
    return [wh for cfg in configs for wh in conventions_webhooks.istio_webhooks(cfg.body)]


def webhooks_match(webhooks: list[dict[str, Any]], ns_labels: dict[str, str] | None,
                   pod_labels: dict[str, str]) -> bool:
    """Whether any webhook's namespace and object selectors both match (absent selectors match all)."""
    return any(label_selector_matches(wh.get("namespaceSelector"), ns_labels)
               and label_selector_matches(wh.get("objectSelector"), pod_labels) for wh in webhooks)


@register
class ImageAutoAnalyzer(Analyzer):
    """Makes sure that Pods and Deployments with `image: auto` are going to be injected."""

    name = "injection.ImageAutoAnalyzer"
    inputs = ("Namespace", "Pod", "Deployment", "MutatingWebhookConfiguration")
    codes = ("IST0147", "IST0146")

    def analyze(self, ctx: Context) -> None:
        """Pods with image auto are already broken; Deployments are checked against the webhooks."""
        webhooks = istio_webhooks(ctx.resources.of_kind("MutatingWebhookConfiguration"))
        for pod in ctx.resources.of_kind("Pod"):
            if has_auto_image(pod.spec):
                ctx.report("IST0147", pod, kind="Pod", name=pod.name)
        ns_labels = {ns.name: ns.labels for ns in ctx.resources.of_kind("Namespace")}
        for deploy in ctx.resources.of_kind("Deployment"):
            if not has_auto_image(pod_spec(deploy)):
                continue
            template_labels = ((deploy.spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
            labels = ns_labels.get(deploy.namespace or "default")
            if not webhooks_match(webhooks, labels, template_labels):
                ctx.report("IST0146", deploy, kind="Deployment", name=deploy.name)
