"""sidecar.SelectorAnalyzer: Sidecar selectors must match pods, once each, and not in ambient mode."""

from __future__ import annotations

from collections import defaultdict

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register
from meshctl.analysis.selectors import namespace_in_ambient, selector_string
from meshctl.analyzers.ambient.enrolment import has_sidecar, pod_enrolled
from meshctl.resource import Resource

AMBIENT_POD = "the selected workload is in ambient mode and has no sidecar to configure"
AMBIENT_NAMESPACE = "the namespace is in ambient mode and its workloads have no sidecar to configure"


def workload_labels(sidecar: Resource) -> dict[str, str]:
    """``spec.workloadSelector.labels``, or empty."""
    selector = sidecar.spec.get("workloadSelector") or {}
    return dict(selector.get("labels") or {}) if isinstance(selector, dict) else {}


@register
class SelectorAnalyzer(Analyzer):
    """Validates that sidecars that define a workload selector match at least one pod, and that there aren't multiple sidecar resources that select overlapping pods."""  # noqa: E501

    name = "sidecar.SelectorAnalyzer"
    inputs = ("Sidecar", "Pod", "Namespace")
    codes = ("IST0101", "IST0167", "IST0110", "IST0111")

    def analyze(self, ctx: Context) -> None:
        """Check selector Sidecars against pods, and default Sidecars per namespace."""
        pods = ctx.resources.label_index("Pod")
        by_pod: dict[tuple[str | None, str], list[Resource]] = defaultdict(list)
        pod_of: dict[tuple[str | None, str], Resource] = {}
        defaults: dict[str | None, list[Resource]] = defaultdict(list)
        for sidecar in ctx.resources.of_kind("Sidecar"):
            labels = workload_labels(sidecar)
            if not labels:
                defaults[sidecar.namespace].append(sidecar)
                continue
            matched = pods.select(labels, sidecar.namespace)
            if not matched:
                ctx.report("IST0101", sidecar, path="spec.workloadSelector", ref_kind="selector",
                           ref_name=selector_string(labels))
            for pod in matched:
                by_pod[(pod.namespace, pod.name)].append(sidecar)
                pod_of[(pod.namespace, pod.name)] = pod
        reported: set[tuple[str | None, str]] = set()
        self._check_pods(ctx, by_pod, pod_of, reported)
        with_sidecars = {pod.namespace for pod in ctx.resources.of_kind("Pod") if has_sidecar(pod)}
        self._check_defaults(ctx, defaults, reported, with_sidecars)

    def _check_pods(self, ctx: Context, by_pod: dict[tuple[str | None, str], list[Resource]],
                    pod_of: dict[tuple[str | None, str], Resource],
                    reported: set[tuple[str | None, str]]) -> None:
        for key, sidecars in by_pod.items():
            pod = pod_of[key]
            ambient = pod_enrolled(pod, ctx.resources.get("Namespace", None, pod.namespace or ""))
            if len(sidecars) == 1 and not ambient:
                continue
            names = ", ".join(s.name for s in sidecars)
            for sidecar in sidecars:
                if ambient:
                    if (sidecar.namespace, sidecar.name) not in reported:
                        reported.add((sidecar.namespace, sidecar.name))
                        ctx.report("IST0167", sidecar, path="spec.workloadSelector", detail=AMBIENT_POD)
                    continue
                ctx.report("IST0110", sidecar, path="metadata.name", sidecars=names,
                           namespace=key[0] or "", pod=key[1])

    def _check_defaults(self, ctx: Context, defaults: dict[str | None, list[Resource]],
                        reported: set[tuple[str | None, str]], with_sidecars: set[str | None]) -> None:
        """Default Sidecars: ineffective in an ambient namespace without sidecar pods, else one per namespace."""
        for namespace, sidecars in defaults.items():
            ns = ctx.resources.get("Namespace", None, namespace or "")
            if namespace_in_ambient(ns) and namespace not in with_sidecars:
                for sidecar in sidecars:
                    if (sidecar.namespace, sidecar.name) not in reported:
                        reported.add((sidecar.namespace, sidecar.name))
                        ctx.report("IST0167", sidecar, detail=AMBIENT_NAMESPACE)
                continue
            if len(sidecars) > 1:
                names = ", ".join(s.name for s in sidecars)
                for sidecar in sidecars:
                    ctx.report("IST0111", sidecar, sidecars=names, namespace=namespace or "")
