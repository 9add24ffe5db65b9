"""Ingress and egress gateways: ServiceAccount, SDS Role, Deployment and Service per gateway."""

from __future__ import annotations

from typing import Any

from meshctl.install import meshconfig, rbac
from meshctl.install.config import InstallConfig
from meshctl.install.meta import Obj, env_list, new, resources_of

INGRESS_PORTS = [{"name": "status-port", "port": 15021, "protocol": "TCP", "targetPort": 15021},
                 {"name": "http2", "port": 80, "protocol": "TCP", "targetPort": 8080},
                 {"name": "https", "port": 443, "protocol": "TCP", "targetPort": 8443}]
EGRESS_PORTS = [{"name": "http2", "port": 80, "protocol": "TCP", "targetPort": 8080},
                {"name": "https", "port": 443, "protocol": "TCP", "targetPort": 8443}]


def _labels(cfg: InstallConfig, gw: dict[str, Any], ingress: bool) -> dict[str, str]:
    default = {"app": gw["name"], "istio": "ingressgateway" if ingress else "egressgateway"}
    return {**default, **dict(gw.get("label") or {}), "istio.io/rev": cfg.rev_label}


def _container(cfg: InstallConfig, gw: dict[str, Any], ports: list[dict[str, Any]]) -> dict[str, Any]:
    k8s = gw.get("k8s") or {}
    res = k8s.get("resources") or cfg.value("gateways", "resources") or {}
    log_level = str(cfg.value("global", "proxy", "logLevel") or "warning")
    env = env_list({"ISTIO_META_CLUSTER_ID": str(cfg.value("global", "multiCluster", "clusterName")
                                                    or "Kubernetes"),
                    "ISTIO_META_WORKLOAD_NAME": gw["name"], "PILOT_CERT_PROVIDER": "istiod",
                    "CA_ADDR": f"{meshconfig.istiod_host(cfg)}:15012",
                    **{e["name"]: e.get("value", "") for e in k8s.get("env") or []}})
    env += [{"name": n, "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": p}}}
            for n, p in (("POD_NAME", "metadata.name"), ("POD_NAMESPACE", "metadata.namespace"),
                         ("INSTANCE_IP", "status.podIP"), ("SERVICE_ACCOUNT", "spec.serviceAccountName"))]
    container_ports = sorted({(p["targetPort"], p["name"]) for p in ports})
    return {
        "name": "istio-proxy",
        "image": cfg.image(str(cfg.value("global", "proxy", "image") or "proxyv2")),
        "imagePullPolicy": str(cfg.value("global", "imagePullPolicy") or "IfNotPresent"),
        "args": ["proxy", "router", "--domain", "$(POD_NAMESPACE).svc.cluster.local",
                 f"--proxyLogLevel={log_level}", "--log_output_level=default:info"],
        "ports": [{"containerPort": port, "name": name[:15], "protocol": "TCP"} for port, name in container_ports]
        + [{"containerPort": 15090, "name": "http-envoy-prom", "protocol": "TCP"}],
        "readinessProbe": {"httpGet": {"path": "/healthz/ready", "port": 15021}, "periodSeconds": 2,
                           "failureThreshold": 30},
        "env": env,
        "resources": resources_of(res),
        "securityContext": {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
                            "runAsNonRoot": True, "capabilities": {"drop": ["ALL"]}},
        "volumeMounts": [{"name": "istio-envoy", "mountPath": "/etc/istio/proxy"},
                         {"name": "istio-data", "mountPath": "/var/lib/istio/data"},
                         {"name": "istio-token", "mountPath": "/var/run/secrets/tokens", "readOnly": True},
                         {"name": "istiod-ca-cert", "mountPath": "/var/run/secrets/istio"},
                         {"name": "config-volume", "mountPath": "/etc/istio/config"}],
    }


def deployment(cfg: InstallConfig, gw: dict[str, Any], ingress: bool, component: str) -> Obj:
    """A gateway Deployment running the proxyv2 image in router mode."""
    labels = _labels(cfg, gw, ingress)
    ns = gw.get("namespace") or cfg.namespace
    obj = new("apps/v1", "Deployment", gw["name"], cfg, component, labels=labels)
    obj["metadata"]["namespace"] = ns
    ports = INGRESS_PORTS if ingress else EGRESS_PORTS
    k8s = gw.get("k8s") or {}
    obj["spec"] = {
        "replicas": int(k8s.get("replicaCount") or 1),
        "selector": {"matchLabels": dict(sorted(labels.items()))},
        "template": {
            "metadata": {"labels": dict(sorted({**labels, "sidecar.istio.io/inject": "false"}.items()))},
            "spec": {
                "serviceAccountName": f"{gw['name']}-service-account",
                "securityContext": {"runAsGroup": 1337, "runAsUser": 1337, "runAsNonRoot": True},
                "containers": [_container(cfg, gw, ports)],
                "volumes": [
                    {"name": "istio-envoy", "emptyDir": {}},
                    {"name": "istio-data", "emptyDir": {}},
                    {"name": "istio-token", "projected": {"sources": [{"serviceAccountToken": {
                        "audience": "istio-ca", "expirationSeconds": 43200, "path": "istio-token"}}]}},
                    {"name": "istiod-ca-cert", "configMap": {"name": "istio-ca-root-cert"}},
                    {"name": "config-volume", "configMap": {"name": cfg.suffixed("istio"), "optional": True}},
                ],
            },
        },
    }
    return obj


def service(cfg: InstallConfig, gw: dict[str, Any], ingress: bool, component: str) -> Obj:
    """A gateway's Service (LoadBalancer for ingress by default, ClusterIP for egress)."""
    labels = _labels(cfg, gw, ingress)
    k8s_service = (gw.get("k8s") or {}).get("service") or {}
    obj = new("v1", "Service", gw["name"], cfg, component, labels=labels)
    obj["metadata"]["namespace"] = gw.get("namespace") or cfg.namespace
    ports = k8s_service.get("ports") or (INGRESS_PORTS if ingress else EGRESS_PORTS)
    obj["spec"] = {
        "type": k8s_service.get("type") or ("LoadBalancer" if ingress else "ClusterIP"),
        "selector": dict(sorted(labels.items())),
        "ports": [dict(sorted(p.items())) for p in ports],
    }
    return obj


def build(cfg: InstallConfig) -> list[Obj]:
    """Every enabled ingress and egress gateway."""
    out: list[Obj] = []
    for kind, ingress in (("ingressGateways", True), ("egressGateways", False)):
        for gw in cfg.gateways(kind):
            ns = gw.get("namespace") or cfg.namespace
            out += rbac.gateway(cfg, gw["name"], kind, ns)
            out += [deployment(cfg, gw, ingress, kind), service(cfg, gw, ingress, kind)]
    return out
