"""The ``sidecar`` template: what Istio's injector adds to a pod, as a fragment merged over it.

``sidecar_fragment`` is pure: a :class:`~meshctl.inject.pod.Pod` (the pod being injected
and everything derived from values, mesh config and annotations) in, a pod fragment out.
"""

from __future__ import annotations

import copy
import json
from dataclasses import replace

from meshctl.inject import annotations as a
from meshctl.inject import volumes
from meshctl.inject.iptables import CaptureConfig, for_pod
from meshctl.inject.pod import Obj, Pod, Workload, app_containers, proxy_overrides, template
from meshctl.inject.values import InjectionValues, proxy_config_json

__all__ = ["Obj", "Pod", "Workload", "app_containers", "proxy_overrides", "sidecar_fragment", "template"]
VALIDATION_NAME = "istio-validation"
MULTUS = "k8s.v1.cni.cncf.io/networks"


def proxy_resources(annotations: Obj, values: InjectionValues) -> Obj:
    """Proxy resources: the proxyCPU/proxyMemory(-Limit) annotations, or the values'."""
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


def _env_var(name: str, value: str) -> Obj:
    """An env var; an empty value is left out, as Go writes it."""
    return {"name": name, "value": value} if value else {"name": name}


OTEL_ANNOTATION = "resource.opentelemetry.io/"


def otel_resource_attributes(pod: Pod) -> str:
    """OpenTelemetry's Kubernetes service attributes for the proxy's telemetry, or "".

    Given when the pod names a version (``app.kubernetes.io/version``) or OTel resource
    annotations: then ``service.namespace``, ``service.version`` and ``service.instance.id``
    (namespace.pod.container) follow OTel's semantic conventions for Kubernetes."""
    labels = pod.meta.get("labels") or {}
    given = {k[len(OTEL_ANNOTATION):]: str(v) for k, v in pod.ann.items() if k.startswith(OTEL_ANNOTATION)}
    version = given.pop("service.version", None) or labels.get("app.kubernetes.io/version")
    if not version and not given:
        return ""
    namespace = given.pop("service.namespace", None) or pod.namespace
    attrs: list[tuple[str, str]] = []
    if "service.name" in given:
        attrs.append(("service.name", given.pop("service.name")))
    if namespace:
        attrs.append(("service.namespace", namespace))
    if version:
        attrs.append(("service.version", str(version)))
    apps = app_containers(pod.spec)
    instance = given.pop("service.instance.id", None)
    if instance or (pod.namespace and apps):
        attrs.append(("service.instance.id",
                      instance or f"{pod.namespace}.$(POD_NAME).{apps[0].get('name')}"))
    attrs += sorted(given.items())
    return ",".join(f"{k}={v}" for k, v in attrs)


def proxy_env(pod: Pod) -> list[Obj]:
    """istio-proxy's environment."""
    values = pod.values
    apps = app_containers(pod.spec)
    env: list[Obj] = [{"name": "PILOT_CERT_PROVIDER", "value": values.pilot_cert_provider},
                      {"name": "CA_ADDR", "value": values.ca_addr}, *template("fieldEnv"),
                      {"name": "PROXY_CONFIG", "value": proxy_config_json(pod.proxy_config_env)},
                      {"name": "ISTIO_META_POD_PORTS", "value": pod_ports_env(pod.spec.get("containers") or [])},
                      _env_var("ISTIO_META_APP_CONTAINERS", ",".join(str(c.get("name")) for c in apps)),
                      *template("memoryEnv"),
                      {"name": "ISTIO_META_CLUSTER_ID", "value": values.cluster_id}, *template("nodeEnv"),
                      {"name": "ISTIO_META_INTERCEPTION_MODE", "value": pod.mode}]
    if values.network:
        env.append({"name": "ISTIO_META_NETWORK", "value": values.network})
    env += [{"name": "ISTIO_META_WORKLOAD_NAME", "value": pod.workload.workload_name},
            {"name": "ISTIO_META_OWNER", "value": pod.workload.owner}]
    otel = otel_resource_attributes(pod)
    if otel:
        env.append({"name": "OTEL_RESOURCE_ATTRIBUTES", "value": otel})
    if volumes.BOOTSTRAP in pod.ann:
        env.append({"name": "ISTIO_BOOTSTRAP_OVERRIDE", "value": "/etc/istio/custom-bootstrap/custom_bootstrap.json"})
    env += [
            {"name": "ISTIO_META_MESH_ID", "value": values.effective_mesh_id},
            {"name": "TRUST_DOMAIN", "value": values.trust_domain}]
    if str((values.mesh.get("inboundTrafficPolicy") or {}).get("mode", "")).upper() == "LOCALHOST":
        env.append({"name": "REWRITE_PROBE_LEGACY_LOCALHOST_DESTINATION", "value": "true"})
    env += [{"name": str(k), "value": str(v)} for k, v in (pod.proxy.get("proxyMetadata") or {}).items()]
    return env


def readiness_probe(pod: Pod) -> Obj:
    """The agent's readiness probe, tuned by the readiness annotations or values."""
    def setting(short: str, key: str, default: int) -> int:
        return int(str(pod.ann.get(f"readiness.status.sidecar.istio.io/{short}",
                                    pod.values.value(f"global.proxy.{key}", default))))

    probe = template("readinessProbe")
    delay = setting("initialDelaySeconds", "readinessInitialDelaySeconds", 0)
    if delay:
        probe["initialDelaySeconds"] = delay
    probe["periodSeconds"] = setting("periodSeconds", "readinessPeriodSeconds", 15)
    probe["failureThreshold"] = setting("failureThreshold", "readinessFailureThreshold", 4)
    return probe


def proxy_security_context(pod: Pod) -> Obj:
    """Non-root and read-only; root with NET_ADMIN under TPROXY (NET_BIND_SERVICE when asked for)."""
    ctx = template("proxySecurityContext")
    if str((pod.proxy.get("proxyMetadata") or {}).get("IPTABLES_TRACE_LOGGING")) == "true":
        return {**ctx, "allowPrivilegeEscalation": True, "privileged": True, "runAsNonRoot": False,
                "runAsUser": 0, "capabilities": {"add": ["NET_ADMIN"], "drop": ["ALL"]}}
    privileged = pod.values.flag("global.proxy.privileged")
    ctx["privileged"] = ctx["allowPrivilegeEscalation"] = privileged
    bind = str(pod.ann.get("sidecar.istio.io/capNetBindService",
                           pod.values.value("global.proxy.capNetBindService", False))).lower() == "true"
    add = (["NET_ADMIN"] if pod.tproxy else []) + (["NET_BIND_SERVICE"] if bind else [])
    if add:
        ctx["capabilities"]["add"] = add
        ctx.update({"runAsNonRoot": False, "runAsUser": 0, "runAsGroup": 1337})
    return ctx


def proxy_args(pod: Pod, kind: str = "sidecar") -> list[str]:
    """pilot-agent's arguments."""
    values = pod.values
    level = pod.ann.get("sidecar.istio.io/logLevel", values.log_level)
    component = pod.ann.get("sidecar.istio.io/componentLogLevel", values.component_log_level)
    args = ["proxy", kind, "--domain", f"$(POD_NAMESPACE).svc.{values.cluster_domain}",
            f"--proxyLogLevel={level}", f"--proxyComponentLogLevel={component}",
            f"--log_output_level={pod.agent_log_level}"]
    if values.value("global.sts.servicePort", 0):
        args.append(f"--stsPort={values.value('global.sts.servicePort')}")
    if values.flag("global.logAsJson"):
        args.append("--log_as_json")
    if values.value("global.proxy.outlierLogPath", "") and kind == "sidecar":
        args.append(f"--outlierLogPath={values.value('global.proxy.outlierLogPath')}")
    return args


def proxy_container(pod: Pod) -> Obj:
    """The istio-proxy container of the sidecar template."""
    values = pod.values
    container: Obj = {
        "name": a.PROXY_NAME,
        "image": pod.image,
        "args": proxy_args(pod),
        "env": proxy_env(pod),
        "ports": template("proxyPorts"),
        "resources": proxy_resources(pod.ann, values),
        "securityContext": proxy_security_context(pod),
        "volumeMounts": volumes.mounts(pod),
    }
    if pod.status_port:
        container["readinessProbe"] = readiness_probe(pod)
        if values.flag("global.proxy.startupProbe.enabled", True):
            probe = template("startupProbe")
            probe["failureThreshold"] = int(values.value("global.proxy.startupProbe.failureThreshold", 600))
            container["startupProbe"] = probe
    if values.image_pull_policy:
        container["imagePullPolicy"] = values.image_pull_policy
    if pod.native:
        container["restartPolicy"] = "Always"
    lifecycle = values.value("global.proxy.lifecycle", None)
    if lifecycle:
        container["lifecycle"] = copy.deepcopy(lifecycle)
    elif pod.hold and not pod.native:
        container["lifecycle"] = template("holdLifecycle")
    elif pod.native:
        native = template("nativeLifecycle")
        native["preStop"]["exec"]["command"][2] = f"--debug-port={pod.status_port}"
        container["lifecycle"] = native
    return container


def capture(pod: Pod) -> CaptureConfig:
    """istio-iptables' settings for the pod."""
    cfg = for_pod(pod.ann, pod.values, pod.mode, pod.proxy_uid, pod.status_port)
    mesh = pod.values.mesh
    include_out = pod.ann.get(a.INCLUDE_OUTBOUND_PORTS, pod.values.value("global.proxy.includeOutboundPorts", ""))
    return replace(cfg, log_output_level=pod.agent_log_level,
                   outbound_port=str(mesh.get("proxyListenPort") or 15001),
                   inbound_port=str(mesh.get("proxyInboundListenPort") or 15006),
                   include_outbound_ports=str(include_out) if include_out else None)


def init_container(pod: Pod) -> Obj | None:
    """istio-init (or istio-validation under istio-cni), or None when nothing is captured."""
    if pod.mode == "NONE":
        return None
    values = pod.values
    cfg = capture(pod)
    args = cfg.to_args()
    if values.flag("global.logAsJson"):
        args.append("--log_as_json")
    if values.cni:
        args += ["--run-validation", "--skip-rule-apply"]
    elif values.flag("global.proxy_init.forceApplyIptables"):
        args.append("--force-apply")
    if values.flag("global.nativeNftables"):
        args.append("--native-nftables")
    container: Obj = {
        "name": VALIDATION_NAME if values.cni else a.INIT_NAME,
        "image": str(pod.ann[a.PROXY_IMAGE]) if "/" in str(pod.ann.get(a.PROXY_IMAGE, "")) else values.init_image,
        "args": args,
        "resources": proxy_resources(pod.ann, values),
        "securityContext": template("validationSecurityContext" if values.cni else "initSecurityContext"),
    }
    privileged = values.flag("global.proxy.privileged")
    container["securityContext"]["privileged"] = container["securityContext"]["allowPrivilegeEscalation"] = privileged
    if values.cni:
        container["securityContext"]["runAsUser"] = 1337 if pod.tproxy else int(pod.proxy_uid)
        container["securityContext"]["runAsGroup"] = 1337 if pod.tproxy else int(pod.proxy_gid)
    env = [{"name": str(k), "value": str(v)} for k, v in (pod.proxy.get("proxyMetadata") or {}).items()]
    if env:
        container["env"] = env
    if values.image_pull_policy:
        container["imagePullPolicy"] = values.image_pull_policy
    return container


def _cni_annotations(pod: Pod, cfg: CaptureConfig) -> Obj:
    """What istio-cni reads from the pod: the capture settings as annotations."""
    out: Obj = {a.INTERCEPTION_MODE: cfg.mode,
                a.INCLUDE_OUTBOUND_IP_RANGES: cfg.include_ip_ranges,
                a.INCLUDE_INBOUND_PORTS: cfg.include_inbound_ports,
                a.EXCLUDE_INBOUND_PORTS: cfg.user_excluded_inbound}
    optional = {a.EXCLUDE_OUTBOUND_IP_RANGES: cfg.exclude_ip_ranges,
                a.EXCLUDE_OUTBOUND_PORTS: cfg.exclude_outbound_ports,
                a.INCLUDE_OUTBOUND_PORTS: cfg.include_outbound_ports,
                a.KUBEVIRT_INTERFACES: cfg.kubevirt_interfaces,
                "traffic.sidecar.istio.io/excludeInterfaces": cfg.exclude_interfaces}
    out.update({k: v for k, v in optional.items() if v})
    if pod.values.cni_provider == "multus":
        out[MULTUS] = append_multus_network(str(pod.ann.get(MULTUS) or ""), "default/istio-cni")
    return out


def append_multus_network(current: str, network: str) -> str:
    """Multus' networks annotation with ``network`` added once (a flat list or a JSON list)."""
    if not current:
        return network
    end = current.rfind("]")
    if end != -1:
        try:
            items = json.loads(current)
        except ValueError:
            return current
        if any(isinstance(i, dict) and i.get("name") == network for i in items if isinstance(items, list)):
            return current
        return current[:end] + f', {{"name": "{network}"}}' + current[end:]
    if any(part.strip() == network for part in current.split(",")):
        return current
    return f"{current}, {network}"


def sidecar_fragment(pod: Pod) -> Obj:
    """The pod fragment the sidecar template adds."""
    values = pod.values
    sidecar = proxy_container(pod)
    init = init_container(pod)
    inits = [init] if init else []
    spec: Obj = {"initContainers": [*inits, sidecar] if pod.native else inits,
                 "containers": [] if pod.native else [sidecar],
                 "volumes": volumes.volumes(pod)}
    secrets = values.value("global.imagePullSecrets", []) or []
    if secrets:
        spec["imagePullSecrets"] = [{"name": s} if isinstance(s, str) else s for s in secrets]
    ann: Obj = {a.REV: values.revision}
    apps = app_containers(pod.spec)
    if apps:
        ann[a.DEFAULT_CONTAINER] = pod.ann.get(a.DEFAULT_CONTAINER) or apps[0].get("name")
        ann[a.DEFAULT_LOGS_CONTAINER] = pod.ann.get(a.DEFAULT_LOGS_CONTAINER) or apps[0].get("name")
    if values.cni and init:
        ann.update(_cni_annotations(pod, capture(pod)))
    current = pod.meta.get("labels") or {}
    labels: Obj = {a.TLS_MODE: current.get(a.TLS_MODE) or "istio"}
    if str((pod.proxy.get("proxyMetadata") or {}).get("ISTIO_META_ENABLE_HBONE")) == "true":
        labels["networking.istio.io/tunnel"] = current.get("networking.istio.io/tunnel") or "http"
    labels.update(canonical_labels(pod))
    if values.network and not current.get("topology.istio.io/network"):
        labels["topology.istio.io/network"] = values.network
    return {"metadata": {"annotations": ann, "labels": labels}, "spec": spec}


def canonical_labels(pod: Pod) -> Obj:
    """service.istio.io/canonical-name and -revision (names cut to 63 characters)."""
    labels = pod.meta.get("labels") or {}
    name = a.canonical_name(labels, pod.workload.name)[:63].strip("-_.")
    return {a.CANONICAL_NAME: labels.get(a.CANONICAL_NAME) or name,
            a.CANONICAL_REVISION: a.canonical_revision(labels)}


def capture_for_template(template_obj: Obj, values: InjectionValues) -> CaptureConfig:
    """istio-iptables' settings for a pod template that is not injected yet."""
    meta = dict(template_obj.get("metadata") or {})
    spec = dict(template_obj.get("spec") or {})
    return capture(Pod(meta, spec, values, Workload("v1", "Pod", ""), False))
