"""ambient.SidecarAndAmbientAnalyzer: workloads and namespaces enrolled in ambient that carry sidecars."""

from __future__ import annotations

from collections import defaultdict

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register
from meshctl.analysis.selectors import INJECTION_LABEL, SIDECAR_INJECT, template_labels
from meshctl.analyzers.ambient.enrolment import DATAPLANE_MODE, has_sidecar, is_gateway_pod, namespace_labelled_ambient
from meshctl.resource import Resource

WORKLOAD_KINDS = ("Deployment", "StatefulSet", "DaemonSet")


def template_injected(workload: Resource, namespace: Resource | None) -> bool:
    """Whether a workload's pods will be injected: the pod template asks for it, or the namespace does
    and the template does not opt out."""
    meta = (workload.spec.get("template") or {}).get("metadata") or {}
    setting = (meta.get("labels") or {}).get(SIDECAR_INJECT, (meta.get("annotations") or {}).get(SIDECAR_INJECT))
    if setting is not None:
        return str(setting) == "true"
    return namespace is not None and namespace.labels.get(INJECTION_LABEL) == "enabled"


@register
class SidecarAndAmbientAnalyzer(Analyzer):
    """Reports workloads that are both sidecar-injected and enrolled in ambient, and ambient namespaces whose pods carry sidecars."""  # noqa: E501

    name = "ambient.SidecarAndAmbientAnalyzer"
    inputs = ("Namespace", "Pod", *WORKLOAD_KINDS)
    codes = ("MSH1706", "MSH1707")

    def analyze(self, ctx: Context) -> None:
        """Check pods and pod templates labelled for ambient, then ambient namespaces."""
        namespaces = {ns.name: ns for ns in ctx.resources.of_kind("Namespace")}
        with_sidecar: dict[str, list[str]] = defaultdict(list)
        for pod in ctx.resources.of_kind("Pod"):
            if not has_sidecar(pod) or is_gateway_pod(pod):
                continue
            with_sidecar[pod.namespace or ""].append(pod.name)
            if pod.labels.get(DATAPLANE_MODE) == "ambient":
                ctx.report("MSH1706", pod, path="metadata.labels", workload=f"Pod {pod.ref()}")
        for kind in WORKLOAD_KINDS:
            for workload in ctx.resources.of_kind(kind):
                if template_labels(workload).get(DATAPLANE_MODE) == "ambient" and \
                        template_injected(workload, namespaces.get(workload.namespace or "")):
                    ctx.report("MSH1706", workload, path="spec.template.metadata.labels",
                               workload=f"{kind} {workload.ref()}")
        for name, pods in sorted(with_sidecar.items()):
            ns = namespaces.get(name)
            if ns is not None and namespace_labelled_ambient(ns):
                shown = ", ".join(sorted(pods)[:3]) + (", ..." if len(pods) > 3 else "")
                ctx.report("MSH1707", ns, path="metadata.labels", namespace=name, count=len(pods), pods=shown)
