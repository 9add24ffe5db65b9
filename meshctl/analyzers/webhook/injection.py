"""webhook.Analyzer: Istio injection webhooks must not overlap and must reach a Service."""

from __future__ import annotations

from itertools import product
from typing import Any

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register
from meshctl.analysis.selectors import INJECTION_LABEL, REVISION_LABEL, SIDECAR_INJECT, label_selector_matches
from meshctl.conventions.webhooks import istio_webhooks
from meshctl.resource import Resource

SET_OPERATORS = frozenset({"In", "NotIn"})
EXIST_OPERATORS = frozenset({"Exists", "DoesNotExist"})
Hooks = dict[str, tuple[Resource, dict[str, Any]]]


def valid_selector(selector: dict[str, Any]) -> bool:
    """Whether Kubernetes would accept the selector's expressions."""
    for expr in selector.get("matchExpressions") or []:
        op, values = (expr or {}).get("operator"), (expr or {}).get("values") or []
        if op in SET_OPERATORS and not values or op in EXIST_OPERATORS and values:
            return False
        if op not in SET_OPERATORS | EXIST_OPERATORS:
            return False
    return True


def selects(selector: Any, labels: dict[str, str]) -> bool:
    """Webhook selector semantics: absent matches everything, invalid matches nothing."""
    if selector is None:
        return True
    if not isinstance(selector, dict) or not valid_selector(selector):
        return False
    return label_selector_matches(selector, labels)


def revisions(config: Resource) -> set[str]:
    """Revisions named by the configuration's label or its webhooks' selectors."""
    revs = {config.labels[REVISION_LABEL]} if REVISION_LABEL in config.labels else set()
    for hook in config.body.get("webhooks") or []:
        for key in ("namespaceSelector", "objectSelector"):
            selector = (hook or {}).get(key) or {}
            if REVISION_LABEL in (selector.get("matchLabels") or {}):
                revs.add(str(selector["matchLabels"][REVISION_LABEL]))
            for expr in selector.get("matchExpressions") or []:
                if (expr or {}).get("key") == REVISION_LABEL:
                    revs.update(str(v) for v in expr.get("values") or [])
    return revs


def label_permutations(key: str, revs: set[str]) -> list[dict[str, str]]:
    """The label sets to probe: none, enabled, disabled; each again with every revision."""
    on, off = ("enabled", "disabled") if key == INJECTION_LABEL else ("true", "false")
    base = [{}, {key: on}, {key: off}]
    return [*base, *({**b, REVISION_LABEL: rev} for rev in sorted(revs) for b in base)]


@register
class WebhookAnalyzer(Analyzer):
    """Checks the validity of Istio webhooks."""

    name = "webhook.Analyzer"
    inputs = ("MutatingWebhookConfiguration", "Service")
    codes = ("IST0139",)

    def analyze(self, ctx: Context) -> None:
        """Report overlapping injection webhooks and webhooks pointing at missing Services."""
        hooks: Hooks = {}
        revs: set[str] = set()
        for config in ctx.resources.of_kind("MutatingWebhookConfiguration"):
            found = revisions(config)
            webhooks = [h for h in config.body.get("webhooks") or [] if isinstance(h, dict)]
            if not found and not istio_webhooks(config.body):
                continue
            revs |= found
            for hook in webhooks:
                hooks[f"{config.ref()}/{hook.get('name', '')}"] = (config, hook)
        self._check_overlaps(ctx, hooks, revs)
        self._check_services(ctx, hooks)

    @staticmethod
    def _check_overlaps(ctx: Context, hooks: Hooks, revs: set[str]) -> None:
        for ns_labels, obj_labels in product(label_permutations(INJECTION_LABEL, revs),
                                             label_permutations(SIDECAR_INJECT, revs)):
            matches = sorted(key for key, (_, hook) in hooks.items()
                             if selects(hook.get("namespaceSelector"), ns_labels)
                             and selects(hook.get("objectSelector"), obj_labels))
            if len(matches) < 2:
                continue
            for match in matches:
                others = ", ".join(m for m in matches if m != match)
                ctx.report("IST0139", hooks[match][0], path="webhooks",
                           detail=f"overlaps with other webhooks ({others}); pods could be injected twice")

    @staticmethod
    def _check_services(ctx: Context, hooks: Hooks) -> None:
        for config, hook in hooks.values():
            service = (hook.get("clientConfig") or {}).get("service")
            if not isinstance(service, dict):
                continue
            namespace, name = service.get("namespace") or None, str(service.get("name", ""))
            if not ctx.resources.has("Service", namespace, name):
                ctx.report("IST0139", config, path="webhooks",
                           detail=f"the injector Service {namespace}/{name} does not exist")
