"""meshconfig.ConfigScopingAnalyzer: large meshes whose proxies are not scoped by a Sidecar resource."""

from __future__ import annotations

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register
from meshctl.analysis.selectors import INJECTION_LABEL, REVISION_LABEL

DEFAULT_THRESHOLD = 100


def _is_default_sidecar(spec: dict) -> bool:
    return not (spec.get("workloadSelector") or {}).get("labels")


@register
class ConfigScopingAnalyzer(Analyzer):
    """Suggests Sidecar scoping for injected namespaces once the mesh has many services."""

    name = "meshconfig.ConfigScopingAnalyzer"
    inputs = ("Sidecar", "Service", "Namespace")
    codes = ("MSH0903",)

    def analyze(self, ctx: Context) -> None:
        """Report each injected namespace without a default Sidecar (none in the root namespace either)."""
        services = len(ctx.resources.of_kind("Service"))
        threshold = int(ctx.env.options.get("scoping_threshold", DEFAULT_THRESHOLD))
        if services < threshold:
            return
        scoped = {s.namespace for s in ctx.resources.of_kind("Sidecar") if _is_default_sidecar(s.spec)}
        root = str(ctx.mesh_config.get("rootNamespace") or ctx.env.istio_namespace)
        if root in scoped:
            return
        for namespace in ctx.resources.of_kind("Namespace"):
            injected = namespace.labels.get(INJECTION_LABEL) == "enabled" or REVISION_LABEL in namespace.labels
            if injected and namespace.name not in scoped:
                ctx.report("MSH0903", namespace, namespace=namespace.name, services=services)
