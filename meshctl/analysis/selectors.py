"""Label selectors and workload/injection helpers shared by analyzers.

Add functions with small edits; never change an existing function's signature.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from meshctl.resource import Resource

INJECTION_LABEL = "istio-injection"
REVISION_LABEL = "istio.io/rev"
DATAPLANE_MODE_LABEL = "istio.io/dataplane-mode"
SIDECAR_INJECT = "sidecar.istio.io/inject"
PROXY_CONTAINER = "istio-proxy"
INJECTOR_CONFIGMAP = "istio-sidecar-injector"


def _expression_matches(expr: Mapping[str, Any], labels: Mapping[str, str]) -> bool:
    key = str(expr.get("key", ""))
    op = str(expr.get("operator", ""))
    values = [str(v) for v in expr.get("values") or []]
    if op == "In":
        return key in labels and labels[key] in values
    if op == "NotIn":
        return key not in labels or labels[key] not in values
    if op == "Exists":
        return key in labels
    if op == "DoesNotExist":
        return key not in labels
    return False


def labels_contain(labels: Mapping[str, str], match_labels: Mapping[str, Any] | None) -> bool:
    """Whether ``labels`` carries every pair of ``match_labels`` (an empty selector matches)."""
    return all(k in labels and labels[k] == str(v) for k, v in (match_labels or {}).items())


def label_selector_matches(selector: Mapping[str, Any] | None, labels: Mapping[str, str] | None) -> bool:
    """Kubernetes LabelSelector semantics: matchLabels and matchExpressions; None matches all."""
    if selector is None:
        return True
    labels = labels or {}
    if not labels_contain(labels, selector.get("matchLabels")):
        return False
    return all(_expression_matches(e, labels) for e in selector.get("matchExpressions") or [])


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


def proxy_containers(spec: Mapping[str, Any]) -> list[dict[str, Any]]:
    """istio-proxy containers, including a native-sidecar init container."""
    containers = [*(spec.get("containers") or []), *(spec.get("initContainers") or [])]
    return [c for c in containers if isinstance(c, dict) and c.get("name") == PROXY_CONTAINER]


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


class LabelIndex:
    """Resources indexed by label pair, so a matchLabels selector is answered by set intersection."""

    def __init__(self, resources: Iterable[Resource]) -> None:
        self._all = list(resources)
        self._by_pair: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i, res in enumerate(self._all):
            for pair in res.labels.items():
                self._by_pair[(str(pair[0]), str(pair[1]))].append(i)

    def select(self, match_labels: Mapping[str, Any] | None,
               namespace: str | None | object = ...) -> list[Resource]:
        """Resources carrying every pair (all of them for an empty selector), in input order.

        Pass ``namespace`` to keep only that namespace (``None`` is the empty namespace).
        """
        pairs = [(str(k), str(v)) for k, v in (match_labels or {}).items()]
        if pairs:
            lists = sorted((self._by_pair.get(p, []) for p in pairs), key=len)
            hits = set(lists[0]).intersection(*lists[1:])
            found = [self._all[i] for i in sorted(hits)]
        else:
            found = list(self._all)
        if namespace is ...:
            return found
        return [r for r in found if r.namespace == namespace]


def selector_string(match_labels: Mapping[str, Any] | None) -> str:
    """A matchLabels map in Kubernetes' selector form: ``a=1,b=2`` (keys sorted)."""
    return ",".join(f"{k}={v}" for k, v in sorted((match_labels or {}).items()))


def _parse_requirement(text: str) -> dict[str, Any]:
    text = text.strip()
    for word, op in ((" notin ", "NotIn"), (" in ", "In")):
        if word in text:
            key, _, rest = text.partition(word)
            values = [v.strip() for v in rest.strip().strip("()").split(",") if v.strip()]
            return {"key": key.strip(), "operator": op, "values": values}
    for sep, op in (("!=", "NotIn"), ("==", "In"), ("=", "In")):
        if sep in text:
            key, _, value = text.partition(sep)
            return {"key": key.strip(), "operator": op, "values": [value.strip()]}
    if text.startswith("!"):
        return {"key": text[1:].strip(), "operator": "DoesNotExist"}
    return {"key": text, "operator": "Exists"}


def _split_requirements(text: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [p for p in (*parts, current) if p.strip()]


def parse_selector(text: str) -> dict[str, Any]:
    """A set-based selector string (``app=a,tier in (x,y),!legacy``) as a LabelSelector dict."""
    return {"matchExpressions": [_parse_requirement(p) for p in _split_requirements(text)]}


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


_NAME = r"(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)"
_PREFIX = r"(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*/)"
_KEY = rf"(?:{_PREFIX}?{_NAME})"
_VALUE = rf"(?:{_NAME}?)"


def selector_syntax_error(text: str) -> str | None:
    """Why a kubectl ``-l`` label selector is malformed (None when it is well formed).

    The grammar of ``k8s.io/apimachinery/pkg/labels``: comma-separated requirements, each
    ``key``, ``!key``, ``key=value``, ``key==value``, ``key!=value``, ``key in (v1,v2)``,
    ``key notin (v1,v2)``, ``key>N`` or ``key<N``; keys and values are Kubernetes label keys and values.
    """
    import re

    forms = (rf"!?\s*{_KEY}", rf"{_KEY}\s*(?:==?|!=)\s*{_VALUE}", rf"{_KEY}\s*[<>]\s*-?[0-9]+",
             rf"{_KEY}\s+(?:in|notin)\s*\(\s*{_VALUE}(?:\s*,\s*{_VALUE})*\s*\)")
    if not text.strip():
        return "it is empty"
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text + ","):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == "," and depth <= 0:
            parts.append(text[start:i].strip())
            start = i + 1
    for part in parts:
        if not part:
            return "it has an empty requirement (a stray comma)"
        if not any(re.fullmatch(form, part) for form in forms):
            return f"{part!r} is not key, !key, key=value, key!=value, key in (...) or key notin (...)"
    return None
