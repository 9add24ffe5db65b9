"""injection.ImageAnalyzer: running proxies whose image differs from the injector's."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register
from meshctl.analysis.selectors import (
    INJECTION_LABEL,
    INJECTOR_CONFIGMAP,
    REVISION_LABEL,
    injector_configmap_name,
    labels_contain,
    proxy_containers,
)
from meshctl.analyzers.injection.injectorconfig import proxy_image
from meshctl.resource import Resource

PROXY_IMAGE_ANNOTATION = "sidecar.istio.io/proxyImage"
PROXY_CONFIG_ANNOTATION = "proxy.istio.io/config"


def _image_type(config: Any) -> str:
    """``image.imageType`` of a ProxyConfig spec or mesh defaultConfig, or ''."""
    if not isinstance(config, dict):
        return ""
    image = config.get("image")
    return str(image.get("imageType") or "") if isinstance(image, dict) else ""


class ImageTypeResolver:
    """The effective proxy image type (variant) of a pod, from mesh, ProxyConfig and annotation."""

    def __init__(self, ctx: Context) -> None:
        mesh = ctx.mesh_config
        self.mesh_default = _image_type(mesh.get("defaultConfig"))
        root_ns = mesh.get("rootNamespace") or "istio-system"
        self.root = ""
        self.namespace: dict[str | None, str] = {}
        self.workload: dict[str | None, list[tuple[dict[str, Any], str]]] = defaultdict(list)
        for pc in ctx.resources.of_kind("ProxyConfig"):
            variant = _image_type(pc.spec)
            selector = pc.spec.get("selector")
            if pc.namespace == root_ns:
                self.root = variant or self.root
            elif selector is None:
                self.namespace[pc.namespace] = variant
            else:
                match = selector.get("matchLabels") if isinstance(selector, dict) else None
                self.workload[pc.namespace].append((match or {}, variant))

    def variant(self, pod: Resource) -> str:
        """The image type the injector would pick for this pod ('' for the default image)."""
        variant = self.mesh_default
        variant = self.root or variant
        variant = self.namespace.get(pod.namespace) or variant
        for match, value in self.workload.get(pod.namespace, ()):
            if value and labels_contain(pod.labels, match):
                variant = value
        variant = _annotation_image_type(pod) or variant
        return "" if variant == "default" else variant


def _annotation_image_type(pod: Resource) -> str:
    raw = pod.annotations.get(PROXY_CONFIG_ANNOTATION)
    if not raw:
        return ""
    from meshctl.errors import InputError
    from meshctl.sources.loading import parse_value

    try:
        return _image_type(parse_value(raw, PROXY_CONFIG_ANNOTATION))
    except InputError:
        return ""


def injected_namespaces(namespaces: list[Resource]) -> dict[str, str]:
    """Namespace name -> revision for namespaces with injection enabled."""
    out = {}
    for ns in namespaces:
        if REVISION_LABEL in ns.labels:
            out[ns.name] = ns.labels[REVISION_LABEL]
        elif ns.labels.get(INJECTION_LABEL) == "enabled":
            out[ns.name] = "default"
    return out


@register
class ImageAnalyzer(Analyzer):
    """Checks the image of auto-injection configured with the running proxies on pods."""

    name = "injection.ImageAnalyzer"
    inputs = ("Namespace", "Pod", "ConfigMap", "ProxyConfig")
    codes = ("IST0158",)

    def analyze(self, ctx: Context) -> None:
        """Report, per namespace, the pods whose istio-proxy image is not the injector's."""
        images = {cm.name: proxy_image(cm) for cm in ctx.resources.of_kind("ConfigMap")
                  if cm.name.startswith(INJECTOR_CONFIGMAP)}
        if not images:
            return
        namespaces = ctx.resources.of_kind("Namespace")
        injected = injected_namespaces(namespaces)
        resolver = ImageTypeResolver(ctx)
        mismatched: dict[str, list[str]] = defaultdict(list)
        for pod in ctx.resources.of_kind("Pod"):
            revision = injected.get(pod.namespace or "")
            if revision is None or pod.annotations.get(PROXY_IMAGE_ANNOTATION):
                continue
            expected = images.get(injector_configmap_name(revision))
            if expected is None:
                continue
            accepted = {expected, f"{expected}-{resolver.variant(pod)}"}
            for container in proxy_containers(pod.spec):
                if container.get("image") not in accepted:
                    mismatched[pod.namespace or ""].append(pod.name)
        by_name = {ns.name: ns for ns in namespaces}
        for ns_name, pods in mismatched.items():
            ctx.report("IST0158", by_name.get(ns_name), pods=", ".join(pods))
