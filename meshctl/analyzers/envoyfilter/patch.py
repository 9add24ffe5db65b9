"""envoyfilter.EnvoyPatchAnalyzer: patch operations that are ignored or order-dependent."""

from __future__ import annotations

from typing import Any

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register
from meshctl.resource import Resource

ROUTE_TARGETS = frozenset({"ROUTE_CONFIGURATION", "HTTP_ROUTE"})
FILTER_TARGETS = frozenset({"HTTP_FILTER", "NETWORK_FILTER"})
INSERTS = frozenset({"INSERT_BEFORE", "INSERT_AFTER"})


def instance_name(patch: dict[str, Any]) -> str:
    """The filter a patch is about: the value's ``name``, else the matched filter-chain filter.

    Names from the value and from the match are kept apart, as istioctl compares them in
    different string forms.
    """
    value = (patch.get("patch") or {}).get("value")
    if not isinstance(value, dict) or not value:
        return ""
    if value.get("name") is not None:
        return f"value:{value['name']!r}"
    chain = ((patch.get("match") or {}).get("listener") or {}).get("filterChain")
    if isinstance(chain, dict):
        return str((chain.get("filter") or {}).get("name") or "")
    return ""


def has_proxy_version(patch: dict[str, Any]) -> bool:
    """Whether the patch matches on a proxy version."""
    return bool(((patch.get("match") or {}).get("proxy") or {}).get("proxyVersion"))


@register
class EnvoyPatchAnalyzer(Analyzer):
    """Checks EnvoyFilter patches for ignored operations and relative operations without a priority."""

    name = "envoyfilter.EnvoyPatchAnalyzer"
    inputs = ("EnvoyFilter",)
    codes = ("IST0151", "IST0155", "IST0153", "IST0154", "IST0152")

    def analyze(self, ctx: Context) -> None:
        """Walk every filter's patches; names with a proxyVersion carry over to later filters."""
        versioned: set[str] = set()
        for ef in ctx.resources.of_kind("EnvoyFilter"):
            self._check_filter(ctx, ef, versioned)

    def _check_filter(self, ctx: Context, ef: Resource, versioned: set[str]) -> None:
        priority = ef.spec.get("priority") or 0
        for index, patch in enumerate(ef.spec.get("configPatches") or []):
            if not isinstance(patch, dict) or not patch.get("patch"):
                break
            name = instance_name(patch)
            code = self._code_for(patch)
            path = f"spec.configPatches[{index}]"
            if code == "relative":
                if not priority:
                    relative = "IST0155" if name in versioned else "IST0151"
                    ctx.report(relative, ef, path=path)
            elif code:
                ctx.report(code, ef, path=path)
            if has_proxy_version(patch):
                versioned.add(name)

    @staticmethod
    def _code_for(patch: dict[str, Any]) -> str:
        """The error code for a misapplied operation, ``relative`` for an order-dependent one."""
        operation = str(patch["patch"].get("operation") or "")
        apply_to = str(patch.get("applyTo") or "")
        if operation == "ADD":
            return "IST0153" if apply_to in ROUTE_TARGETS else ""
        if operation == "REMOVE":
            return "IST0154" if apply_to in ROUTE_TARGETS else "relative"
        if operation == "REPLACE":
            return "IST0152" if apply_to not in FILTER_TARGETS else "relative"
        return "relative" if operation in INSERTS else ""
