"""Label selectors and workload/injection helpers shared by analyzers.

Add functions with small edits; never change an existing function's signature.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from meshctl import snapshot
from meshctl.conventions import labels, selectors
from meshctl.conventions.sidecars import proxy_containers as proxy_containers
from meshctl.resource import Resource

INJECTION_LABEL = labels.INJECTION
REVISION_LABEL = labels.REVISION
DATAPLANE_MODE_LABEL = labels.DATAPLANE_MODE
SIDECAR_INJECT = labels.SIDECAR_INJECT
PROXY_CONTAINER = labels.PROXY_CONTAINER
INJECTOR_CONFIGMAP = labels.INJECTOR_CONFIGMAP


#: LabelSelector semantics (matchLabels and matchExpressions; None matches all), from the one home.
label_selector_matches = selectors.matches
labels_contain = selectors.labels_contain


def index_by_namespace(resources: Iterable[Resource]) -> dict[str | None, list[Resource]]:
    """Resources grouped by namespace, built once per analysis."""
    out: dict[str | None, list[Resource]] = defaultdict(list)
    for res in resources:
        out[res.namespace].append(res)
    return out


def pod_spec(res: Resource) -> dict[str, Any]:
    """The pod spec of a Pod, or of a workload's pod template."""
    if res.kind == "Pod":
        return res.spec
    template = res.spec.get("template") or {}
    if res.kind == "CronJob":
        template = ((res.spec.get("jobTemplate") or {}).get("spec") or {}).get("template") or {}
    spec = template.get("spec")
    return spec if isinstance(spec, dict) else {}


def pod_inject_setting(res: Resource) -> str:
    """The ``sidecar.istio.io/inject`` value of a pod: the label wins over the annotation."""
    value = res.annotations.get(SIDECAR_INJECT, "")
    return str(res.labels.get(SIDECAR_INJECT, value))


def injector_configmap_name(revision: str | None) -> str:
    """The injector ConfigMap of a revision (``istio-sidecar-injector[-<rev>]``)."""
    if not revision or revision == "default":
        return INJECTOR_CONFIGMAP
    return f"{INJECTOR_CONFIGMAP}-{revision}"


def namespace_in_ambient(namespace: Resource | None) -> bool:
    """Whether a Namespace is in ambient mode: labelled for it, and not also for sidecar injection."""
    if namespace is None or namespace.labels.get(DATAPLANE_MODE_LABEL) != "ambient":
        return False
    return namespace.labels.get(INJECTION_LABEL) != "enabled" and REVISION_LABEL not in namespace.labels


#: Resources indexed by label pair (a snapshot keeps one per kind: ``Snapshot.label_index``).
LabelIndex = snapshot.LabelIndex


#: A matchLabels map as ``a=1,b=2``; a ``kubectl -l`` string as a LabelSelector.
selector_string = selectors.to_string
parse_selector = selectors.parse


def namespace_labels(namespaces: Iterable[Resource]) -> dict[str, dict[str, str]]:
    """Namespace name -> labels, for the injection helpers below."""
    return {ns.name: ns.labels for ns in namespaces}


def _has_proxy_image(containers: Iterable[Any]) -> bool:
    for container in containers:
        if isinstance(container, dict) and container.get("name") == PROXY_CONTAINER:
            return bool(container.get("image"))
    return False


def _in_mesh(annotations: Mapping[str, str], labels: Mapping[str, str], namespace: str | None,
             containers: list[Any], namespaces: Mapping[str, Mapping[str, str]]) -> bool:
    if _has_proxy_image(containers):
        return True
    for source in (labels, annotations):
        if SIDECAR_INJECT in source:
            return str(source[SIDECAR_INJECT]) == "true"
    if namespace is not None and namespace in namespaces:
        return namespaces[namespace].get(INJECTION_LABEL) == "enabled"
    return False


def pod_in_mesh(pod: Resource, namespaces: Mapping[str, Mapping[str, str]]) -> bool:
    """istioctl's PodInMesh: a proxy container with an image, else the inject label/annotation,
    else the namespace's ``istio-injection=enabled`` label (``namespaces``: name -> labels)."""
    spec = pod.spec
    containers = [*(spec.get("containers") or []), *(spec.get("initContainers") or [])]
    return _in_mesh(pod.annotations, pod.labels, pod.namespace, containers, namespaces)


def deployment_in_mesh(deployment: Resource, namespaces: Mapping[str, Mapping[str, str]]) -> bool:
    """istioctl's DeploymentInMesh: PodInMesh applied to the pod template."""
    template = deployment.spec.get("template") or {}
    meta = template.get("metadata") or {}
    containers = list((template.get("spec") or {}).get("containers") or [])
    return _in_mesh(meta.get("annotations") or {}, meta.get("labels") or {}, deployment.namespace,
                    containers, namespaces)


def pod_in_ambient(pod: Resource) -> bool:
    """Whether a pod was enrolled in ambient mode (``ambient.istio.io/redirection: enabled``)."""
    return pod.annotations.get("ambient.istio.io/redirection") == "enabled"


def template_labels(workload: Resource) -> dict[str, str]:
    """The pod template labels of a Deployment-like workload."""
    meta = (workload.spec.get("template") or {}).get("metadata") or {}
    return dict(meta.get("labels") or {})


#: Why a ``kubectl -l`` selector string is malformed (None when it is well formed).
selector_syntax_error = selectors.syntax_error
