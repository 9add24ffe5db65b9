"""The pod being injected, and what the injector derives for it from values, mesh config and annotations.

:class:`Pod` is what every injection template reads; :class:`Workload` is who owns the pod.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from meshctl.errors import InputError
from meshctl.inject import annotations as a
from meshctl.inject.values import InjectionValues
from meshctl.mesh import deep_merge

Obj = dict[str, Any]


@dataclass(frozen=True)
class Workload:
    """Who owns the pod: feeds ISTIO_META_WORKLOAD_NAME and ISTIO_META_OWNER."""

    api_version: str
    kind: str
    name: str
    namespace: str = "default"
    #: ``service.istio.io/workload-name`` when the pod's labels set it.
    label_name: str = ""
    #: The namespace the manifest itself names ("" when it names none).
    given_namespace: str = ""

    @property
    def workload_name(self) -> str:
        """ISTIO_META_WORKLOAD_NAME: the label when set, else the workload's name."""
        return self.label_name or self.name

    @property
    def owner(self) -> str:
        """Istio's owner URI for the workload."""
        return f"kubernetes://apis/{self.api_version}/namespaces/{self.namespace}/{self.kind.lower()}s/{self.name}"


@cache
def _template() -> Obj:
    text = resources.files(__package__).joinpath("sidecar.yaml").read_text(encoding="utf-8")
    return dict(yaml.safe_load(text))


def template(key: str) -> Any:
    """A fresh copy of one part of the sidecar template."""
    return copy.deepcopy(_template()[key])


def proxy_overrides(annotations: dict[str, str]) -> Obj:
    """The ``proxy.istio.io/config`` annotation, parsed (YAML or JSON)."""
    text = annotations.get(a.PROXY_CONFIG)
    if not text:
        return {}
    from meshctl.sources.loading import parse_value

    data = parse_value(text, f"annotation {a.PROXY_CONFIG}")
    if not isinstance(data, dict):
        raise InputError(f"annotation {a.PROXY_CONFIG} must be a mapping")
    return data


#: ProxyConfig fields Istio leaves out of PROXY_CONFIG when they hold its defaults.
PROXY_DEFAULTS: Obj = {
    "configPath": "./etc/istio/proxy", "binaryPath": "/usr/local/bin/envoy", "serviceCluster": "istio-proxy",
    "drainDuration": "45s", "terminationDrainDuration": "5s", "parentShutdownDuration": "60s",
    "discoveryAddress": "istiod.istio-system.svc:15012", "proxyAdminPort": 15000, "statNameLength": 189,
    "statusPort": 15020, "controlPlaneAuthPolicy": "MUTUAL_TLS", "concurrency": 2,
    "tracing": {"zipkin": {"address": "zipkin.istio-system:9411"}},
}


def _is_default(key: str, value: Any) -> bool:
    if key == "proxyMetadata":
        return not value
    return key in PROXY_DEFAULTS and PROXY_DEFAULTS[key] == value


@dataclass
class Pod:
    """The pod being injected and what the injector derived for it."""

    meta: Obj
    spec: Obj
    values: InjectionValues
    workload: Workload
    native: bool
    user_proxy: Obj = field(default_factory=dict)

    @property
    def ann(self) -> Obj:
        """The pod's annotations (live)."""
        return self.meta.setdefault("annotations", {})

    @property
    def proxy_config_env(self) -> Obj:
        """PROXY_CONFIG: the mesh's ``defaultConfig`` and the pod's annotation, less Istio's defaults."""
        merged = deep_merge(dict(self.values.mesh.get("defaultConfig") or {}), proxy_overrides(self.ann))
        return {k: v for k, v in merged.items() if not _is_default(k, v)}

    @property
    def proxy(self) -> Obj:
        """The effective proxy config (meshctl's defaults, the mesh's, the pod's)."""
        return deep_merge(self.values.proxy_defaults, proxy_overrides(self.ann))

    @property
    def image(self) -> str:
        """istio-proxy's image: the proxyImage annotation when it names a registry, else the values' image
        of the pod's image type (annotation, then the proxy config's ``image.imageType``)."""
        if "/" in str(self.ann.get(a.PROXY_IMAGE, "")):
            return str(self.ann[a.PROXY_IMAGE])
        image_type = self.ann.get("sidecar.istio.io/proxyImageType") or (self.proxy.get("image") or {}).get(
            "imageType", "")
        return self.values.image_of_type(str(image_type or ""))

    @property
    def mode(self) -> str:
        """The interception mode (annotation, then proxy config)."""
        return str(self.ann.get(a.INTERCEPTION_MODE) or self.proxy.get("interceptionMode") or "REDIRECT")

    @property
    def status_port(self) -> int:
        """The agent's status port (annotation, then values)."""
        return int(str(self.ann.get(a.STATUS_PORT, self.values.value("global.proxy.statusPort", 15020))))

    @property
    def hold(self) -> bool:
        """holdApplicationUntilProxyStarts from values or proxy config."""
        return bool(self.proxy.get("holdApplicationUntilProxyStarts")) or \
            self.values.flag("global.proxy.holdApplicationUntilProxyStarts")

    @property
    def tproxy(self) -> bool:
        """Whether capture uses TPROXY (the proxy then runs as root with NET_ADMIN)."""
        return self.mode == "TPROXY"

    @property
    def namespace(self) -> str:
        """The namespace the manifest names for the pod ("" when it names none)."""
        return str(self.meta.get("namespace") or self.workload.given_namespace or "")

    @property
    def agent_log_level(self) -> str:
        """pilot-agent's and istio-iptables' log level (annotation, then ``global.logging.level``)."""
        return str(self.ann.get("sidecar.istio.io/agentLogLevel", self.values.log_output_level))

    @property
    def proxy_uid(self) -> str:
        """The uid istio-iptables exempts: the user's ``runAsUser`` on istio-proxy, else 1337."""
        ctx = self.user_proxy.get("securityContext") or {}
        return str(ctx.get("runAsUser") or "1337")

    @property
    def user_proxy_uid(self) -> str:
        """The user's ``runAsUser`` on istio-proxy ("" when unset): Istio's ``.ProxyUID``."""
        return str((self.user_proxy.get("securityContext") or {}).get("runAsUser") or "")

    @property
    def user_proxy_gid(self) -> str:
        """The user's ``runAsGroup`` on istio-proxy ("" when unset): Istio's ``.ProxyGID``."""
        return str((self.user_proxy.get("securityContext") or {}).get("runAsGroup") or "")

    @property
    def proxy_gid(self) -> str:
        """The proxy's group: the user's ``runAsGroup`` on istio-proxy, else 1337."""
        ctx = self.user_proxy.get("securityContext") or {}
        return str(ctx.get("runAsGroup") or "1337")



def app_containers(spec: Obj) -> list[Obj]:
    """The pod's own containers (not istio-proxy)."""
    return [c for c in spec.get("containers") or [] if c.get("name") != a.PROXY_NAME]
