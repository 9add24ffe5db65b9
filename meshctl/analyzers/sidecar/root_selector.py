"""sidecar.RootSelectorAnalyzer: a Sidecar in the root namespace with a selector is not the mesh default."""

from __future__ import annotations

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register


@register
class RootSelectorAnalyzer(Analyzer):
    """Reports Sidecars in the mesh root namespace that have a workloadSelector."""

    name = "sidecar.RootSelectorAnalyzer"
    inputs = ("Sidecar",)
    codes = ("MSH1761",)

    def analyze(self, ctx: Context) -> None:
        """A root-namespace Sidecar is the mesh-wide default only without a workloadSelector."""
        root = str(ctx.mesh_config.get("rootNamespace") or ctx.env.istio_namespace)
        for sidecar in ctx.resources.in_namespace("Sidecar", root):
            if (sidecar.spec.get("workloadSelector") or {}).get("labels"):
                ctx.report("MSH1761", sidecar, path="spec.workloadSelector", namespace=root)
