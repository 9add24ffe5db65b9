"""injection.Analyzer: namespaces and pods that will not get (or lack) the sidecar."""

from __future__ import annotations

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register
from meshctl.analysis.selectors import (
    DATAPLANE_MODE_LABEL,
    INJECTION_LABEL,
    REVISION_LABEL,
    injector_configmap_name,
    pod_in_ambient,
    pod_inject_setting,
    proxy_containers,
)
from meshctl.analyzers.injection.injectorconfig import enable_namespaces_by_default
from meshctl.resource import Resource


def dataplane_labels(ns: Resource) -> list[str]:
    """The data plane labels that count towards a conflict (``key=value``)."""
    labels = ns.labels
    found = []
    has_injection = INJECTION_LABEL in labels
    if has_injection:
        found.append(f"{INJECTION_LABEL}={labels[INJECTION_LABEL]}")
    for key in (REVISION_LABEL, DATAPLANE_MODE_LABEL):
        if key in labels and (not has_injection or labels[INJECTION_LABEL] == "enabled"):
            found.append(f"{key}={labels[key]}")
    return found


@register
class InjectionAnalyzer(Analyzer):
    """Checks conditions related to Istio sidecar injection."""

    name = "injection.Analyzer"
    inputs = ("Namespace", "Pod", "ConfigMap")
    codes = ("IST0123", "IST0148", "IST0102", "IST0103")

    def analyze(self, ctx: Context) -> None:
        """Report namespace label problems, then pods without a proxy in injected namespaces."""
        default_on = self._enabled_by_default(ctx)
        ambient_pods = {pod.namespace for pod in ctx.resources.of_kind("Pod")
                        if pod.labels.get(DATAPLANE_MODE_LABEL) == "ambient" or pod_in_ambient(pod)}
        injected = {ns.name for ns in ctx.resources.of_kind("Namespace")
                    if self._check_namespace(ctx, ns, default_on, ns.name in ambient_pods)}
        for pod in ctx.resources.of_kind("Pod"):
            if pod.namespace in injected and self._missing_proxy(pod):
                ctx.report("IST0103", pod, pod=pod.ref())

    @staticmethod
    def _enabled_by_default(ctx: Context) -> bool:
        """Whether the default injector ConfigMap injects unlabelled namespaces."""
        cm_name = injector_configmap_name("")
        for cm in ctx.resources.of_kind("ConfigMap"):
            if cm.name == cm_name:
                return enable_namespaces_by_default(cm)
        return False

    def _check_namespace(self, ctx: Context, ns: Resource, default_on: bool, ambient_pods: bool) -> bool:
        """Report on one namespace; True when its pods are expected to carry a sidecar.

        A namespace in ambient mode, or with pods enrolled in ambient one by one, is in the mesh
        without injection, so it gets no IST0102/IST0148."""
        if ns.name == ctx.env.istio_namespace:
            return False
        labels = ns.labels
        conflicting = dataplane_labels(ns)
        if len(conflicting) > 1:
            ctx.report("IST0123", ns, path="metadata.labels", namespace=ns.name,
                       labels=", ".join(conflicting))
        if labels.get(DATAPLANE_MODE_LABEL) == "ambient":
            return False
        injection = labels.get(INJECTION_LABEL, "")
        if not injection and REVISION_LABEL not in labels:
            if ambient_pods:
                return False
            if default_on:
                ctx.report("IST0148", ns, namespace=ns.name)
            else:
                ctx.report("IST0102", ns, path="metadata.name", namespace=ns.name)
            return False
        return injection == "enabled"

    @staticmethod
    def _missing_proxy(pod: Resource) -> bool:
        if pod_inject_setting(pod).lower() == "false" or pod.spec.get("hostNetwork"):
            return False
        proxies = proxy_containers(pod.spec)
        return not (proxies and proxies[0].get("image"))
