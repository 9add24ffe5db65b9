"""extensions.WasmPluginAnalyzer: module URL, checksum, pull policy, selection and ordering."""

from __future__ import annotations

import re
from collections import defaultdict
from itertools import combinations

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register
from meshctl.analyzers.extensions.targets import PodKey, WorkloadResolver, describe_target
from meshctl.resource import Resource

FETCHABLE_SCHEMES = frozenset({"oci", "https", "http", "file"})
PULL_POLICIES = frozenset({"UNSPECIFIED_POLICY", "IfNotPresent", "Always"})
_SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


def url_scheme(url: str) -> str:
    """The URL's scheme; ``oci`` when there is none (Istio's default)."""
    m = _SCHEME.match(url)
    return m.group(1).lower() if m else "oci"


def check_source(ctx: Context, plugin: Resource) -> None:
    """Report problems with url, sha256 and imagePullPolicy."""
    spec = plugin.spec
    url = str(spec.get("url") or "")
    scheme = url_scheme(url)
    if scheme not in FETCHABLE_SCHEMES:
        ctx.report("MSH0401", plugin, path="spec.url", url=url, scheme=scheme)
    if scheme == "http":
        ctx.report("MSH0402", plugin, path="spec.url", url=url)
    sha = spec.get("sha256")
    if sha and not _SHA256.match(str(sha)):
        ctx.report("MSH0404", plugin, path="spec.sha256", sha256=sha)
    elif not sha and scheme in ("http", "https"):
        ctx.report("MSH0403", plugin, path="spec.sha256", url=url)
    policy = spec.get("imagePullPolicy")
    if policy is not None and policy not in PULL_POLICIES:
        ctx.report("MSH0405", plugin, path="spec.imagePullPolicy", policy=policy)


def order_key(plugin: Resource) -> tuple[str, int, str]:
    """(phase, priority, type): plugins sharing it run in an order decided by their names."""
    spec = plugin.spec
    try:
        priority = int(spec.get("priority") or 0)
    except (TypeError, ValueError):
        priority = 0
    return (str(spec.get("phase") or "UNSPECIFIED_PHASE"), priority, str(spec.get("type") or "HTTP"))


@register
class WasmPluginAnalyzer(Analyzer):
    """Checks WasmPlugin module sources, pull policy, workload selection and phase/priority ordering."""

    name = "extensions.WasmPluginAnalyzer"
    inputs = ("WasmPlugin", "Pod", "Service")
    codes = ("MSH0401", "MSH0402", "MSH0403", "MSH0404", "MSH0405", "MSH0406", "MSH0407")

    def analyze(self, ctx: Context) -> None:
        """Check each plugin, then compare plugins that share phase, priority and type."""
        plugins = ctx.resources.of_kind("WasmPlugin")
        if not plugins:
            return
        root = str(ctx.mesh_config.get("rootNamespace") or ctx.env.istio_namespace)
        resolver = WorkloadResolver(ctx.resources.of_kind("Pod"), ctx.resources.of_kind("Service"), root)
        selected: dict[tuple[str | None, str], set[PodKey] | None] = {}
        for plugin in plugins:
            check_source(ctx, plugin)
            pods = resolver.resolve(plugin)
            selected[(plugin.namespace, plugin.name)] = pods
            if pods is not None and not pods and self._selects(plugin):
                ctx.report("MSH0406", plugin, path="spec", target=describe_target(plugin),
                           namespace=plugin.namespace or "")
        self._order_conflicts(ctx, plugins, selected)

    @staticmethod
    def _selects(plugin: Resource) -> bool:
        spec = plugin.spec
        return bool(spec.get("selector") or spec.get("targetRefs") or spec.get("targetRef"))

    @staticmethod
    def _order_conflicts(ctx: Context, plugins: list[Resource],
                         selected: dict[tuple[str | None, str], set[PodKey] | None]) -> None:
        """Report each pair of same-order plugins that apply to at least one common pod."""
        by_pod: dict[tuple[tuple[str, int, str], PodKey], list[Resource]] = defaultdict(list)
        for plugin in plugins:
            key = order_key(plugin)
            for pod in selected[(plugin.namespace, plugin.name)] or ():
                by_pod[(key, pod)].append(plugin)
        pairs: dict[tuple[str, str], tuple[Resource, Resource, tuple[str, int, str]]] = {}
        for (key, _), group in by_pod.items():
            for a, b in combinations(group, 2):
                pairs.setdefault((a.ref(), b.ref()), (a, b, key))
        for a, b, (phase, priority, _) in pairs.values():
            for plugin, other in ((a, b), (b, a)):
                ctx.report("MSH0407", plugin, path="spec.priority", phase=phase, priority=priority,
                           other=other.ref())
