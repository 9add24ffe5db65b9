"""Injection templates, chosen by ``inject.istio.io/templates``: sidecar, gateway, grpc-agent, grpc-simple.

Each template is a function from the pod to a pod fragment that is strategically merged
over it. Templates from the values (``sidecarInjectorWebhook.templates``) are rendered by
:mod:`meshctl.inject.gotemplate` (a subset of Go's text/template) and applied the same way;
one that uses what the subset lacks is an error that says so, never an injection without it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from meshctl.errors import InputError
from meshctl.inject import annotations as a
from meshctl.inject import gotemplate, volumes
from meshctl.inject.podspec import (
    Pod,
    app_containers,
    proxy_args,
    proxy_env,
    proxy_resources,
    readiness_probe,
    sidecar_fragment,
    template,
)

Obj = dict[str, Any]
ANNOTATION = "inject.istio.io/templates"
GRPC_BOOTSTRAP = "/etc/istio/proxy/grpc-bootstrap.json"
GRPC_DATA = "/var/lib/grpc/data/"


def gateway_fragment(pod: Pod) -> Obj:
    """The gateway template: istio-proxy as the router, no traffic capture, no app containers."""
    values = pod.values
    container: Obj = {
        "name": a.PROXY_NAME,
        "image": pod.image,
        "args": proxy_args(pod, "router"),
        "env": proxy_env(pod),
        "ports": template("proxyPorts"),
        "securityContext": {"runAsUser": int(pod.proxy_uid), "runAsGroup": int(pod.proxy_gid)},
        "volumeMounts": volumes.mounts(pod, "gateway"),
        "readinessProbe": _values_readiness(pod),
    }
    if values.image_pull_policy:
        container["imagePullPolicy"] = values.image_pull_policy
    lifecycle = values.value("global.proxy.lifecycle", None)
    if lifecycle:
        container["lifecycle"] = lifecycle
    security = values.value("gateways.securityContext", None) or {
        "sysctls": [{"name": "net.ipv4.ip_unprivileged_port_start", "value": "0"}]}
    spec: Obj = {"securityContext": security, "containers": [container], "volumes": volumes.volumes(pod, "gateway")}
    secrets = values.value("global.imagePullSecrets", []) or []
    if secrets:
        spec["imagePullSecrets"] = [{"name": s} if isinstance(s, str) else s for s in secrets]
    return {"metadata": {"annotations": _default_container({a.REV: values.revision}, pod),
                         "labels": _plain_canonical(pod)}, "spec": spec}


def _values_readiness(pod: Pod) -> Obj:
    probe = template("readinessProbe")
    delay = int(pod.values.value("global.proxy.readinessInitialDelaySeconds", 0))
    if delay:
        probe["initialDelaySeconds"] = delay
    probe["periodSeconds"] = int(pod.values.value("global.proxy.readinessPeriodSeconds", 15))
    probe["failureThreshold"] = int(pod.values.value("global.proxy.readinessFailureThreshold", 4))
    return probe


def _default_container(ann: Obj, pod: Pod) -> Obj:
    apps = app_containers(pod.spec)
    if apps:
        ann[a.DEFAULT_CONTAINER] = pod.ann.get(a.DEFAULT_CONTAINER) or apps[0].get("name")
        ann[a.DEFAULT_LOGS_CONTAINER] = pod.ann.get(a.DEFAULT_LOGS_CONTAINER) or apps[0].get("name")
    return ann


def _plain_canonical(pod: Pod) -> Obj:
    """Canonical labels without the 63-character cut (the gateway and grpc-agent templates)."""
    labels = pod.meta.get("labels") or {}
    return {a.CANONICAL_NAME: a.canonical_name(labels, pod.workload.name),
            a.CANONICAL_REVISION: a.canonical_revision(labels)}


def _grpc_app_env(pod: Pod, bootstrap: str) -> list[Obj]:
    return [{"name": "GRPC_XDS_BOOTSTRAP", "value": bootstrap},
            {"name": "GRPC_GO_LOG_VERBOSITY_LEVEL", "value": "99"},
            {"name": "GRPC_GO_LOG_SEVERITY_LEVEL", "value": "info"}]


def _bootstrap_json() -> list[str]:
    """gRPC's xDS bootstrap: plaintext to istiod, node id and generator from the shell variables."""
    server = ['"server_uri": "\'${SERVER_URI}\'"', '"channel_creds": [{"type": "insecure"}]',
              '"server_features" : ["xds_v3"]']
    node = ['"id": "\'${NODE_ID}\'"', '"metadata": {', '  "GENERATOR": "grpc"', "}"]
    lines = ["{", '  "xds_servers": [', "    {"]
    lines += [f"      {item}{',' if i < len(server) - 1 else ''}" for i, item in enumerate(server)]
    lines += ["    }", "  ],", '  "node": {', f"    {node[0]},", *(f"    {n}" for n in node[1:]), "  }", "}"]
    return lines


def _bootstrap_script(pod: Pod) -> str:
    """A shell script writing gRPC's xDS bootstrap (plaintext to istiod's port 15010)."""
    suffix = "" if pod.values.revision in ("", "default") else f"-{pod.values.revision}"
    domain = pod.values.cluster_domain
    body = "\n".join(_bootstrap_json())
    return "\n".join([f'NODE_ID="sidecar~${{INSTANCE_IP}}~${{POD_NAME}}.${{POD_NAMESPACE}}~{domain}"',
                      f'SERVER_URI="dns:///istiod{suffix}.${{ISTIO_NAMESPACE}}.svc:15010"',
                      f"echo '\n{body}' > {GRPC_DATA}bootstrap.json"])


def grpc_simple_fragment(pod: Pod) -> Obj:
    """Proxyless gRPC without an agent: an init container writes the bootstrap for the apps."""
    field_env = [e for e in template("fieldEnv") if e["name"] in ("INSTANCE_IP", "POD_NAME", "POD_NAMESPACE")]
    order = {"INSTANCE_IP": 0, "POD_NAME": 1, "POD_NAMESPACE": 2}
    init = {"name": "grpc-bootstrap-init", "image": "busybox:1.28",
            "volumeMounts": [{"mountPath": GRPC_DATA, "name": "grpc-io-proxyless-bootstrap"}],
            "env": [*sorted(field_env, key=lambda e: order[e["name"]]),
                    {"name": "ISTIO_NAMESPACE", "value": f"{pod.values.istio_namespace}\n"}],
            "command": ["sh", "-c", _bootstrap_script(pod)]}
    apps = [{"name": c.get("name"), "env": _grpc_app_env(pod, f"{GRPC_DATA}bootstrap.json"),
             "volumeMounts": [{"mountPath": GRPC_DATA, "name": "grpc-io-proxyless-bootstrap"}]}
            for c in app_containers(pod.spec)]
    return {"metadata": {"annotations": {"sidecar.istio.io/rewriteAppHTTPProbers": "false"}},
            "spec": {"initContainers": [init], "containers": apps,
                     "volumes": [{"name": "grpc-io-proxyless-bootstrap", "emptyDir": {}}]}}


def _grpc_agent_env(pod: Pod) -> list[Obj]:
    skip = {"ISTIO_CPU_LIMIT", "GOMEMLIMIT", "ISTIO_META_INTERCEPTION_MODE", "ISTIO_BOOTSTRAP_OVERRIDE"}
    env = [e for e in proxy_env(pod) if e["name"] not in skip]
    return [{"name": "ISTIO_META_GENERATOR", "value": "grpc"},
            {"name": "OUTPUT_CERTS", "value": "/var/lib/istio/data"}, *env,
            {"name": "ISTIO_META_DNS_CAPTURE", "value": "false"}, {"name": "DISABLE_ENVOY", "value": "true"}]


def grpc_agent_fragment(pod: Pod) -> Obj:
    """Proxyless gRPC with the agent: istio-proxy runs pilot-agent only; apps read its bootstrap."""
    values = pod.values
    container: Obj = {
        "name": a.PROXY_NAME,
        "image": pod.image,
        "ports": [{"containerPort": 15020, "protocol": "TCP", "name": "mesh-metrics"}],
        "args": proxy_args(pod),
        "lifecycle": {"postStart": {"exec": {"command": [
            "pilot-agent", "wait", "--url=http://localhost:15020/healthz/ready"]}}},
        "env": _grpc_agent_env(pod),
    }
    if values.image_pull_policy:
        container["imagePullPolicy"] = values.image_pull_policy
    if pod.status_port:
        probe = readiness_probe(pod)
        probe["httpGet"]["port"] = 15020
        container["readinessProbe"] = probe
        container["resources"] = proxy_resources(pod.ann, values)
        container["volumeMounts"] = volumes.mounts(pod, "grpc-agent")
    else:
        container["volumeMounts"] = volumes.user_items(pod, "userVolumeMount")
    certs = [m for m in volumes.mounts(pod, "grpc-agent")
             if m["name"] in ("workload-certs", "gke-workload-certificate")]
    apps = [{"name": c.get("name"),
             "env": [{"name": "GRPC_XDS_EXPERIMENTAL_SECURITY_SUPPORT", "value": "true"},
                     {"name": "GRPC_XDS_BOOTSTRAP", "value": GRPC_BOOTSTRAP}],
             "volumeMounts": [{"mountPath": "/var/lib/istio/data", "name": "istio-data"},
                              {"mountPath": "/etc/istio/proxy", "name": "istio-xds"}, *certs]}
            for c in app_containers(pod.spec)]
    spec: Obj = {"containers": [container, *apps], "volumes": volumes.volumes(pod, "grpc-agent")}
    secrets = values.value("global.imagePullSecrets", []) or []
    if secrets:
        spec["imagePullSecrets"] = [{"name": s} if isinstance(s, str) else s for s in secrets]
    ann = _default_container({a.REV: values.revision, "sidecar.istio.io/rewriteAppHTTPProbers": "false"}, pod)
    return {"metadata": {"annotations": ann, "labels": _plain_canonical(pod)}, "spec": spec}


BUILTIN: dict[str, Callable[[Pod], Obj]] = {
    "sidecar": sidecar_fragment,
    "grpc-agent": grpc_agent_fragment,
    "gateway": gateway_fragment,
    "grpc-simple": grpc_simple_fragment,
}


def names(annotations: Obj, values: Any) -> list[str]:
    """The templates to apply, in order and without repeats (default: the values' defaults, else sidecar)."""
    text = annotations.get(ANNOTATION)
    if text is None or not str(text).strip():
        chosen = values.value("sidecarInjectorWebhook.defaultTemplates", None) or ["sidecar"]
    else:
        chosen = [p.strip() for p in str(text).split(",") if p.strip()]
    out: list[str] = []
    for name in chosen:
        if name not in out:
            out.append(str(name))
    return out


def template_data(pod: Pod) -> Obj:
    """What an injection template sees, by the field names of Istio's template data."""
    return {
        "ObjectMeta": pod.meta, "Spec": pod.spec, "Values": pod.values.helm, "MeshConfig": pod.values.mesh,
        "ProxyConfig": pod.proxy, "Revision": pod.values.revision, "NativeSidecars": pod.native,
        "TypeMeta": {"APIVersion": pod.workload.api_version, "Kind": pod.workload.kind},
        "DeploymentMeta": {"Name": pod.workload.name, "Namespace": pod.namespace},
        "ProxyImage": pod.image, "ProxyInitImage": pod.values.init_image,
        "ProxyUID": pod.user_proxy_uid, "ProxyGID": pod.user_proxy_gid,
        "InboundTrafficPolicyMode": str((pod.values.mesh.get("inboundTrafficPolicy") or {}).get("mode", "")).lower(),
    }


def _custom(name: str, pod: Pod) -> Obj | None:
    custom = pod.values.value("sidecarInjectorWebhook.templates", {}) or {}
    text = custom.get(name) if isinstance(custom, dict) else None
    if text is None:
        return None
    where = f"injection template {name!r} (sidecarInjectorWebhook.templates in the values)"
    if "{{" in str(text):
        try:
            text = gotemplate.render(str(text), template_data(pod))
        except gotemplate.TemplateError as exc:
            raise InputError(f"{where} cannot be applied by meshctl: {exc}") from None
    from meshctl.sources.loading import yaml_value

    data = yaml_value(str(text), f"{where} once rendered") or {}  # guarded; its errors name the template
    if not isinstance(data, dict):
        raise InputError(f"{where} is not a pod fragment")
    return data


def fragment(name: str, pod: Pod) -> Obj:
    """The fragment of one named template (built in, or a plain YAML one from the values)."""
    custom = _custom(name, pod)
    if custom is not None:
        return custom
    builder = BUILTIN.get(name)
    if builder is None:
        known = ", ".join(sorted(BUILTIN))
        raise InputError(f"{ANNOTATION}: unknown injection template {name!r} (meshctl knows {known}, "
                         "and plain YAML templates from sidecarInjectorWebhook.templates)")
    return builder(pod)


def written(fragments: list[Obj]) -> dict[str, set[str]]:
    """The container names each list of the fragments writes (what user overrides apply to)."""
    out: dict[str, set[str]] = {"containers": set(), "initContainers": set()}
    for frag in fragments:
        spec = frag.get("spec") or {}
        for key in out:
            out[key] |= {str(c.get("name")) for c in spec.get(key) or [] if isinstance(c, dict)}
    return out
