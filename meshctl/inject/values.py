"""What the injector needs to know: proxy image, revision and mesh defaults.

Values come from the cluster's ``istio-sidecar-injector`` ConfigMap (its ``values``
key, Helm's values as JSON) and the ``istio`` ConfigMap (its ``mesh`` key), or from
files given with ``--injection-config``, ``--values`` and ``--mesh-config``; anything
they leave out takes meshctl's defaults below.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import Any

from meshctl import ISTIO_HUB, ISTIO_VERSION
from meshctl.errors import InputError
from meshctl.mesh import DEFAULT_MESH_CONFIG, check_mesh_config, deep_merge
from meshctl.sources.loading import read_mapping

#: The same images ``meshctl install`` deploys (one source of truth: :mod:`meshctl`).
DEFAULT_HUB = ISTIO_HUB
DEFAULT_TAG = ISTIO_VERSION
DEFAULT_RESOURCES: dict[str, Any] = {
    "limits": {"cpu": "2", "memory": "1Gi"},
    "requests": {"cpu": "100m", "memory": "128Mi"},
}
MESH_CONFIGMAP = "istio"


@dataclass(frozen=True)
class InjectionValues:
    """Everything about the mesh that shapes an injected pod."""

    hub: str = DEFAULT_HUB
    tag: str = DEFAULT_TAG
    image: str = "proxyv2"
    revision: str = "default"
    istio_namespace: str = "istio-system"
    cluster_domain: str = "cluster.local"
    trust_domain: str = "cluster.local"
    mesh_id: str = ""
    cluster_id: str = "Kubernetes"
    network: str = ""
    ca_address: str = ""
    pilot_cert_provider: str = "istiod"
    log_level: str = "warning"
    component_log_level: str = "misc:error"
    log_output_level: str = "default:info"
    include_ip_ranges: str = "*"
    exclude_ip_ranges: str = ""
    include_inbound_ports: str = "*"
    exclude_inbound_ports: str = ""
    exclude_outbound_ports: str = ""
    status_port: int = 15020
    image_pull_policy: str = ""
    native_sidecar: bool = False
    resources: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_RESOURCES), compare=False)
    proxy_defaults: dict[str, Any] = field(default_factory=dict, compare=False)
    #: The Helm values and the mesh config exactly as given (before meshctl's defaults).
    helm: dict[str, Any] = field(default_factory=dict, compare=False)
    mesh: dict[str, Any] = field(default_factory=dict, compare=False)

    def value(self, dotted: str, default: Any = None) -> Any:
        """A Helm value by dotted path, else ``default`` (the istiod chart's default)."""
        node: Any = self.helm
        for part in dotted.split("."):
            if not isinstance(node, dict) or part not in node:
                return default
            node = node[part]
        return default if node is None else node

    def flag(self, dotted: str, default: bool = False) -> bool:
        """A boolean Helm value (``true``/``"true"``)."""
        value = self.value(dotted, default)
        return value if isinstance(value, bool) else str(value).strip().lower() == "true"

    @property
    def init_image(self) -> str:
        """istio-init's image: ``global.proxy_init.image`` (hub/tag added unless it names a registry)."""
        image = str(self.value("global.proxy_init.image", "") or "proxyv2")
        return image if "/" in image else f"{self.hub}/{image}:{self.tag}"

    @property
    def cni(self) -> bool:
        """Whether istio-cni sets up the pod's traffic capture (istio-validation instead of istio-init)."""
        return self.flag("istio_cni.enabled") or self.flag("pilot.cni.enabled")

    @property
    def cni_provider(self) -> str:
        """``default`` or ``multus``."""
        return str(self.value("pilot.cni.provider", "") or self.value("cni.provider", "") or "default")

    @property
    def proxy_image(self) -> str:
        """The proxy image: ``image`` itself when it names a registry, else hub/image:tag."""
        return self.image_of_type("")

    def image_of_type(self, image_type: str) -> str:
        """The proxy image for an image type (``distroless``, ``debug``; ``default`` or "" adds nothing)."""
        if "/" in self.image:
            return self.image
        kind = image_type
        suffix = f"-{kind}" if kind and kind != "default" and not self.tag.endswith(f"-{kind}") else ""
        return f"{self.hub}/{self.image}:{self.tag}{suffix}"

    @property
    def ca_addr(self) -> str:
        """istiod's CA address for this revision."""
        if self.ca_address:
            return self.ca_address
        suffix = "" if self.revision in ("", "default") else f"-{self.revision}"
        return f"istiod{suffix}.{self.istio_namespace}.svc:15012"

    @property
    def effective_mesh_id(self) -> str:
        """``global.meshID``, or the trust domain when it is unset."""
        return self.mesh_id or self.trust_domain


def _get(tree: dict[str, Any], dotted: str, default: Any) -> Any:
    node: Any = tree
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return default
        node = node[part]
    return default if node is None or node == "" else node


def _resources(helm: dict[str, Any]) -> dict[str, Any]:
    """``global.proxy.resources`` over the chart's defaults; a null quantity removes it."""
    proxy = (helm.get("global") or {}).get("proxy") if isinstance(helm.get("global"), dict) else None
    if isinstance(proxy, dict) and "resources" in proxy and proxy["resources"] is None:
        return {}
    given = _get(helm, "global.proxy.resources", None)
    if not isinstance(given, dict):
        return copy.deepcopy(DEFAULT_RESOURCES)
    out = deep_merge(DEFAULT_RESOURCES, given)
    cleaned = {k: {n: q for n, q in (v or {}).items() if q is not None} for k, v in out.items()
               if isinstance(v, dict)}
    return {k: v for k, v in cleaned.items() if v}


def build_values(helm: dict[str, Any] | None = None, mesh: dict[str, Any] | None = None,
                 revision: str | None = None, native_sidecar: bool | None = None) -> InjectionValues:
    """InjectionValues from Helm values and a mesh config (both optional, defaults elsewhere)."""
    h = helm or {}
    m = deep_merge(DEFAULT_MESH_CONFIG, mesh or {})
    d = InjectionValues()
    rev = revision or _get(h, "revision", "") or "default"
    return InjectionValues(
        hub=str(_get(h, "global.hub", d.hub)),
        tag=str(_get(h, "global.tag", d.tag)),
        image=str(_get(h, "global.proxy.image", d.image)),
        revision=str(rev),
        istio_namespace=str(_get(h, "global.istioNamespace", d.istio_namespace)),
        cluster_domain=str(_get(h, "global.proxy.clusterDomain", d.cluster_domain)),
        trust_domain=str(m.get("trustDomain") or _get(h, "global.trustDomain", d.trust_domain)),
        mesh_id=str(_get(h, "global.meshID", "")),
        cluster_id=str(_get(h, "global.multiCluster.clusterName", d.cluster_id)),
        network=str(_get(h, "global.network", "")),
        ca_address=str(_get(h, "global.caAddress", "")),
        pilot_cert_provider=str(_get(h, "global.pilotCertProvider", d.pilot_cert_provider)),
        log_level=str(_get(h, "global.proxy.logLevel", d.log_level)),
        component_log_level=str(_get(h, "global.proxy.componentLogLevel", d.component_log_level)),
        log_output_level=str(_get(h, "global.logging.level", d.log_output_level)),
        include_ip_ranges=str(_get(h, "global.proxy.includeIPRanges", d.include_ip_ranges)),
        exclude_ip_ranges=str(_get(h, "global.proxy.excludeIPRanges", "")),
        include_inbound_ports=str(_get(h, "global.proxy.includeInboundPorts", d.include_inbound_ports)),
        exclude_inbound_ports=str(_get(h, "global.proxy.excludeInboundPorts", "")),
        exclude_outbound_ports=str(_get(h, "global.proxy.excludeOutboundPorts", "")),
        status_port=int(_get(h, "global.proxy.statusPort", d.status_port)),
        image_pull_policy=str(_get(h, "global.imagePullPolicy", "")),
        native_sidecar=bool(native_sidecar),
        resources=_resources(h),
        proxy_defaults=dict(m.get("defaultConfig") or {}),
        helm=h,
        mesh=dict(mesh or {}),
    )


def _decode(text: Any, where: str) -> dict[str, Any]:
    from meshctl.sources.loading import parse_mapping

    return parse_mapping(text, where)


def _data(configmap: dict[str, Any], where: str) -> dict[str, Any]:
    data = configmap.get("data")
    if data is not None and not isinstance(data, dict):
        raise InputError(f"{where}: data must be a mapping of strings, not {type(data).__name__}")
    return data or {}


def helm_values_from_configmap(configmap: dict[str, Any], where: str) -> dict[str, Any]:
    """The Helm values inside an ``istio-sidecar-injector`` ConfigMap (its ``values`` key)."""
    return _decode(_data(configmap, where).get("values"), f"{where}: data.values")


def mesh_from_configmap(configmap: dict[str, Any], where: str) -> dict[str, Any]:
    """The mesh config inside an ``istio`` ConfigMap (its ``mesh`` key)."""
    return _decode(_data(configmap, where).get("mesh"), f"{where}: data.mesh")


def values_from_file(path: str) -> dict[str, Any]:
    """Helm values from ``--values``: a values map, or an IstioOperator's ``spec.values``."""
    data = read_mapping(path, "values file")
    spec = data.get("spec")
    if data.get("kind") == "IstioOperator" and isinstance(spec, dict):
        return dict(spec.get("values") or {})
    return data


def injection_config_from_file(path: str) -> dict[str, Any]:
    """Helm values from ``--injection-config``: the injector ConfigMap, or its ``values`` content.

    The ConfigMap's Go templates (``data.config``) are not executed: meshctl's
    template is data in this package and only the values shape it.
    """
    data = read_mapping(path, "injection config")
    if data.get("kind") == "ConfigMap":
        return helm_values_from_configmap(data, path)
    if isinstance(data.get("values"), (str, dict)):
        return _decode(data["values"], f"{path}: values")
    return {k: v for k, v in data.items() if k in ("global", "revision", "sidecarInjectorWebhook")}


def mesh_from_file(path: str) -> dict[str, Any]:
    """A mesh config from ``--mesh-config``: the mesh YAML, or the ``istio`` ConfigMap."""
    data = read_mapping(path, "mesh config")
    if data.get("kind") == "ConfigMap":
        data = mesh_from_configmap(data, path)
    return check_mesh_config(data, path)


def proxy_config_json(overrides: dict[str, Any]) -> str:
    """The PROXY_CONFIG env value: the pod's ProxyConfig overrides as compact JSON."""
    return json.dumps(overrides, separators=(",", ":")) + "\n"
