"""auth.AuthorizationPoliciesAnalyzer: policies must select workloads and name real namespaces."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register
from meshctl.analysis.selectors import (
    labels_contain,
    namespace_labels,
    pod_in_ambient,
    pod_in_mesh,
    selector_string,
)
from meshctl.analyzers.ambient.enrolment import pod_enrolled
from meshctl.resource import Resource


def namespace_matches(namespace: str, expr: str) -> bool:
    """istioctl's namespace pattern: ``*``, ``*suffix``, ``prefix*`` or a case-insensitive name."""
    if expr == "*":
        return True
    if expr.startswith("*"):
        return namespace.endswith(expr[1:])
    if expr.endswith("*"):
        return namespace.startswith(expr[:-1])
    return namespace.lower() == expr.lower()


PodLabels = dict[str | None, list[dict[str, str]]]


def mesh_pod_labels(pods: Iterable[Resource], namespaces: dict[str, dict[str, str]],
                    namespace_objects: dict[str, Resource] | None = None) -> PodLabels:
    """Namespace -> labels of the pods that are in the mesh (sidecar, or ambient by pod or namespace label)."""
    out: PodLabels = defaultdict(list)
    objects = namespace_objects or {}
    for pod in pods:
        if pod_in_mesh(pod, namespaces) or pod_in_ambient(pod) or \
                pod_enrolled(pod, objects.get(pod.namespace or "")):
            out[pod.namespace].append(pod.labels)
    return out


def source_namespaces(policy: Resource) -> Iterable[tuple[str, str]]:
    """(path, namespace expression) for every from.source namespaces/notNamespaces entry."""
    for i, rule in enumerate(policy.spec.get("rules") or []):
        for j, frm in enumerate((rule or {}).get("from") or []):
            source = (frm or {}).get("source") or {}
            for field in ("namespaces", "notNamespaces"):
                for k, ns in enumerate(source.get(field) or []):
                    yield f"spec.rules[{i}].from[{j}].source.{field}[{k}]", str(ns)


@register
class AuthorizationPoliciesAnalyzer(Analyzer):
    """Checks the validity of authorization policies."""

    name = "auth.AuthorizationPoliciesAnalyzer"
    inputs = ("AuthorizationPolicy", "Namespace", "Pod")
    codes = ("IST0127", "IST0101")

    def analyze(self, ctx: Context) -> None:
        """Report policies matching no mesh workload, and source namespaces that match nothing."""
        namespace_objects = {ns.name: ns for ns in ctx.resources.of_kind("Namespace")}
        namespaces = namespace_labels(namespace_objects.values())
        pods = mesh_pod_labels(ctx.resources.of_kind("Pod"), namespaces, namespace_objects)
        root = str(ctx.mesh_config.get("rootNamespace") or ctx.env.istio_namespace)
        for policy in ctx.resources.of_kind("AuthorizationPolicy"):
            self._check_workloads(ctx, policy, pods, root)
            for path, expr in source_namespaces(policy):
                if not any(namespace_matches(ns, expr) for ns in namespaces):
                    ctx.report("IST0101", policy, path=path, ref_kind="namespace", ref_name=expr)

    @staticmethod
    def _check_workloads(ctx: Context, policy: Resource, pods: PodLabels, root: str) -> None:
        if policy.spec.get("targetRefs") or policy.spec.get("targetRef"):
            return  # bound to a Service, Gateway or waypoint, not to pods by selector
        selector = policy.spec.get("selector")
        match = (selector or {}).get("matchLabels") or {}
        if policy.namespace == root:
            candidates = [labels for group in pods.values() for labels in group]
            if selector is not None and not any(labels_contain(lb, match) for lb in candidates):
                ctx.report("IST0127", policy, path="spec.selector", selector=selector_string(match),
                           namespace="the mesh")
            return
        in_ns = pods.get(policy.namespace, [])
        if selector is None:
            if not in_ns:
                ctx.report("IST0127", policy, path="metadata.namespace", selector="(namespace-wide)",
                           namespace=policy.namespace)
            return
        if not any(labels_contain(lb, match) for lb in in_ns):
            ctx.report("IST0127", policy, path="spec.selector", selector=selector_string(match),
                       namespace=policy.namespace)
