"""annotations.K8sAnalyzer: unknown, deprecated, misplaced and invalid Istio annotations."""

from __future__ import annotations

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register
from meshctl.analyzers.annotations.table import (
    ALWAYS_IGNORED,
    AnnotationInfo,
    is_istio_annotation,
    known_annotations,
)
from meshctl.analyzers.annotations.values import value_problem
from meshctl.conventions import labels
from meshctl.resource import Resource

KINDS = ("Namespace", "Service", "Pod", "Deployment")
SIDECAR_INJECT = labels.SIDECAR_INJECT


@register
class K8sAnalyzer(Analyzer):
    """Checks for misplaced and invalid Istio annotations in Kubernetes resources."""

    name = "annotations.K8sAnalyzer"
    inputs = KINDS
    codes = ("IST0108", "IST0135", "IST0107", "IST0125")

    def analyze(self, ctx: Context) -> None:
        """Check every Istio-domain annotation on Namespaces, Services, Pods and Deployments."""
        known = known_annotations()
        for kind in KINDS:
            for res in ctx.resources.of_kind(kind):
                for ann, value in res.annotations.items():
                    if not is_istio_annotation(ann) or ann in ALWAYS_IGNORED:
                        continue
                    info = known.get(ann)
                    if info is None:
                        ctx.report("IST0108", res, path=f"metadata.annotations.{ann}", annotation=ann)
                    else:
                        self._check_known(ctx, res, info, str(value))

    @staticmethod
    def _check_known(ctx: Context, res: Resource, info: AnnotationInfo, value: str) -> None:
        path = f"metadata.annotations.{info.name}"
        if info.deprecated and not (info.name == SIDECAR_INJECT and SIDECAR_INJECT in res.labels):
            detail = "; use the sidecar.istio.io/inject label instead" if info.name == SIDECAR_INJECT else ""
            ctx.report("IST0135", res, path=path, annotation=info.name, detail=detail)
        if info.anywhere:
            return
        if res.kind not in info.resources:
            ctx.report("IST0107", res, path=path, annotation=info.name, kind=res.kind,
                       expected=", ".join(info.resources))
            return
        problem = value_problem(info.validation, value)
        if problem:
            ctx.report("IST0125", res, path=path, annotation=info.name, detail=problem)
