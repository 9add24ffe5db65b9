"""annotations.AlphaAnalyzer (opt-in): Istio annotations that are still alpha."""

from __future__ import annotations

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register
from meshctl.analyzers.annotations.table import (
    ALWAYS_IGNORED,
    CNI_DEFAULTS,
    is_istio_annotation,
    known_annotations,
)
from meshctl.conventions.labels import INIT_CONTAINER
from meshctl.resource import Resource

KINDS = ("Namespace", "Service", "Pod", "Deployment")


def uses_cni(pod: Resource) -> bool:
    """istioctl's guess that istio-cni handled a pod: it has no istio-init init container."""
    return not any(isinstance(c, dict) and c.get("name") == INIT_CONTAINER
                   for c in pod.spec.get("initContainers") or [])


@register
class AlphaAnalyzer(Analyzer):
    """Checks for alpha Istio annotations in Kubernetes resources."""

    name = "annotations.AlphaAnalyzer"
    inputs = KINDS
    codes = ("IST0136",)
    default = False

    def analyze(self, ctx: Context) -> None:
        """Report each alpha annotation, skipping those Istio itself sets."""
        known = known_annotations()
        for kind in KINDS:
            for res in ctx.resources.of_kind(kind):
                skip_cni = res.kind == "Pod" and uses_cni(res)
                for ann in res.annotations:
                    info = known.get(ann) if is_istio_annotation(ann) else None
                    if info is None or info.status != "Alpha" or ann in ALWAYS_IGNORED:
                        continue
                    if skip_cni and ann in CNI_DEFAULTS:
                        continue
                    ctx.report("IST0136", res, path=f"metadata.annotations.{ann}", annotation=ann)
