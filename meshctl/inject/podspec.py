"""Inject one pod template: pure, (metadata, spec) in, new (metadata, spec) out."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from meshctl.errors import InputError
from meshctl.inject import annotations as a
from meshctl.inject.iptables import CaptureConfig, for_pod
from meshctl.inject.values import InjectionValues, proxy_config_json

Obj = dict[str, Any]


@dataclass(frozen=True)
class Workload:
    """Who owns the pod: feeds ISTIO_META_WORKLOAD_NAME and ISTIO_META_OWNER."""

    api_version: str
    kind: str
    name: str
    namespace: str = "default"

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
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InputError(f"annotation {a.PROXY_CONFIG} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise InputError(f"annotation {a.PROXY_CONFIG} must be a mapping")
    return data


def proxy_resources(annotations: dict[str, str], values: InjectionValues) -> Obj:
    """Proxy resources: the proxyCPU/proxyMemory(-Limit) annotations, or the mesh's defaults."""
    keys = {("requests", "cpu"): a.PROXY_CPU, ("requests", "memory"): a.PROXY_MEMORY,
            ("limits", "cpu"): a.PROXY_CPU_LIMIT, ("limits", "memory"): a.PROXY_MEMORY_LIMIT}
    if not any(k in annotations for k in keys.values()):
        return copy.deepcopy(values.resources)
    out: Obj = {}
    for (section, name), key in keys.items():
        if key in annotations:
            out.setdefault(section, {})[name] = str(annotations[key])
    return out


def _port_json(port: Obj) -> str:
    order = ("name", "hostPort", "containerPort", "protocol", "hostIP")
    return json.dumps({k: port[k] for k in order if port.get(k) not in (None, "", 0)}, separators=(",", ":"))


def pod_ports_env(containers: list[Obj]) -> str:
    """ISTIO_META_POD_PORTS as Istio's template writes it."""
    ports = [_port_json(p) for c in containers for p in c.get("ports") or []]
    body = "".join(f"\n    {',' if i else ''}{p}" for i, p in enumerate(ports))
    return f"[{body}\n]"


def _env(meta: Obj, spec: Obj, values: InjectionValues, workload: Workload,
         proxy: Obj, mode: str, overrides: Obj) -> list[Obj]:
    containers = spec.get("containers") or []
    env: list[Obj] = [{"name": "PILOT_CERT_PROVIDER", "value": values.pilot_cert_provider},
                      {"name": "CA_ADDR", "value": values.ca_addr}, *template("fieldEnv"),
                      {"name": "PROXY_CONFIG", "value": proxy_config_json(overrides)},
                      {"name": "ISTIO_META_POD_PORTS", "value": pod_ports_env(containers)},
                      {"name": "ISTIO_META_APP_CONTAINERS",
                       "value": ",".join(str(c.get("name") or "") for c in containers)},
                      *template("memoryEnv"),
                      {"name": "ISTIO_META_CLUSTER_ID", "value": values.cluster_id}, *template("nodeEnv"),
                      {"name": "ISTIO_META_INTERCEPTION_MODE", "value": mode}]
    if values.network:
        env.append({"name": "ISTIO_META_NETWORK", "value": values.network})
    env += [{"name": "ISTIO_META_WORKLOAD_NAME", "value": workload.name},
            {"name": "ISTIO_META_OWNER", "value": workload.owner},
            {"name": "ISTIO_META_MESH_ID", "value": values.effective_mesh_id},
            {"name": "TRUST_DOMAIN", "value": values.trust_domain}]
    env += [{"name": str(k), "value": str(v)} for k, v in (proxy.get("proxyMetadata") or {}).items()]
    return env


def proxy_container(meta: Obj, spec: Obj, values: InjectionValues, workload: Workload,
                    proxy: Obj, native: bool, hold: bool, overrides: Obj) -> Obj:
    """The istio-proxy container."""
    ann = meta.get("annotations") or {}
    mode = str(ann.get(a.INTERCEPTION_MODE, proxy.get("interceptionMode") or "REDIRECT"))
    log_level = ann.get("sidecar.istio.io/logLevel", values.log_level)
    component_level = ann.get("sidecar.istio.io/componentLogLevel", values.component_log_level)
    container: Obj = {
        "name": a.PROXY_NAME,
        "image": str(ann.get(a.PROXY_IMAGE, values.proxy_image)),
        "args": ["proxy", "sidecar", "--domain", f"$(POD_NAMESPACE).svc.{values.cluster_domain}",
                 f"--proxyLogLevel={log_level}", f"--proxyComponentLogLevel={component_level}",
                 f"--log_output_level={values.log_output_level}"],
        "env": _env(meta, spec, values, workload, proxy, mode, overrides),
        "ports": template("proxyPorts"),
        "readinessProbe": template("readinessProbe"),
        "startupProbe": template("startupProbe"),
        "resources": proxy_resources(ann, values),
        "securityContext": template("proxySecurityContext"),
        "volumeMounts": template("volumeMounts"),
    }
    if values.image_pull_policy:
        container["imagePullPolicy"] = values.image_pull_policy
    if native:
        container["restartPolicy"] = "Always"
        container["lifecycle"] = template("nativeLifecycle")
    elif hold:
        container["lifecycle"] = template("holdLifecycle")
    return container


def init_container(capture: CaptureConfig, meta: Obj, values: InjectionValues) -> Obj:
    """The istio-init container running istio-iptables with ``capture``'s arguments."""
    ann = meta.get("annotations") or {}
    container: Obj = {
        "name": a.INIT_NAME,
        "image": str(ann.get(a.PROXY_IMAGE, values.proxy_image)),
        "args": capture.to_args(),
        "resources": proxy_resources(ann, values),
        "securityContext": template("initSecurityContext"),
    }
    if values.image_pull_policy:
        container["imagePullPolicy"] = values.image_pull_policy
    return container


def capture_for(meta: Obj, values: InjectionValues) -> CaptureConfig:
    """The istio-iptables settings for a pod template (what istio-init will be given)."""
    ann = meta.get("annotations") or {}
    proxy = {**values.proxy_defaults, **proxy_overrides(ann)}
    return for_pod(ann, values, str(proxy.get("interceptionMode") or "REDIRECT"))
