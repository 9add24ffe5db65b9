"""ambient.IgnoredNamespaceAnalyzer: ambient enrolment where istiod does not look (discoverySelectors)."""

from __future__ import annotations

from typing import Any

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register
from meshctl.analysis.selectors import label_selector_matches
from meshctl.analyzers.ambient.enrolment import DATAPLANE_MODE, namespace_labelled_ambient
from meshctl.resource import Resource


def discovered(namespace: Resource, selectors: list[dict[str, Any]]) -> bool:
    """Whether meshConfig.discoverySelectors select a namespace (no selectors: every namespace)."""
    return not selectors or any(label_selector_matches(s, namespace.labels) for s in selectors)


@register
class IgnoredNamespaceAnalyzer(Analyzer):
    """Reports ambient enrolment in namespaces that meshConfig.discoverySelectors leave out of the mesh."""

    name = "ambient.IgnoredNamespaceAnalyzer"
    inputs = ("Namespace", "Pod")
    codes = ("MSH1708",)

    def analyze(self, ctx: Context) -> None:
        """Report ambient namespaces, and pods labelled for ambient, that istiod does not discover."""
        selectors = [s for s in ctx.mesh_config.get("discoverySelectors") or [] if isinstance(s, dict)]
        if not selectors:
            return
        ignored = {ns.name: ns for ns in ctx.resources.of_kind("Namespace") if not discovered(ns, selectors)}
        for namespace in ignored.values():
            if namespace_labelled_ambient(namespace):
                ctx.report("MSH1708", namespace, path="metadata.labels", what=f"Namespace {namespace.name}",
                           namespace=namespace.name)
        for pod in ctx.resources.of_kind("Pod"):
            ns = ignored.get(pod.namespace or "")
            if ns is not None and not namespace_labelled_ambient(ns) and pod.labels.get(DATAPLANE_MODE) == "ambient":
                ctx.report("MSH1708", pod, path="metadata.labels", what=f"Pod {pod.ref()}", namespace=ns.name)
