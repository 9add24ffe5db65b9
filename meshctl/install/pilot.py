"""istiod: Deployment, Service, PodDisruptionBudget and HorizontalPodAutoscaler."""

from __future__ import annotations

from typing import Any

from meshctl.install import meshconfig, rbac, webhooks
from meshctl.install.config import InstallConfig
from meshctl.install.meta import Obj, env_list, new, resources_of

ISTIOD_PORTS = (("http-monitoring", 15014), ("grpc-xds", 15010), ("https-dns", 15012),
                ("https-webhook", 15017))


def app_labels(cfg: InstallConfig) -> dict[str, str]:
    """The pod labels istiod's Service, PDB and Deployment select on."""
    return {"app": "istiod", "istio": "pilot", "istio.io/rev": cfg.rev_label}


def _env(cfg: InstallConfig) -> list[dict[str, Any]]:
    fixed = {
        "REVISION": cfg.rev_label,
        "PILOT_CERT_PROVIDER": "istiod",
        "PILOT_TRACE_SAMPLING": str(cfg.value("pilot", "traceSampling") or 1.0),
        "CLUSTER_ID": str(cfg.value("global", "multiCluster", "clusterName") or "Kubernetes"),
        "INJECTION_WEBHOOK_CONFIG_NAME": cfg.suffixed("istio-sidecar-injector"),
        "VALIDATION_WEBHOOK_CONFIG_NAME": webhooks.validator_name(cfg),
        "ISTIOD_ADDR": f"{meshconfig.istiod_host(cfg)}:15012",
        "PILOT_ENABLE_ANALYSIS": "false",
    }
    user = {**dict(cfg.value("pilot", "env") or {}),
            **{e["name"]: e.get("value", "") for e in cfg.component("pilot").get("k8s", {}).get("env") or []}}
    plain = env_list({**fixed, **user})
    field_refs = [
        {"name": "POD_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}},
        {"name": "POD_NAMESPACE",
         "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}},
        {"name": "SERVICE_ACCOUNT",
         "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "spec.serviceAccountName"}}},
        {"name": "GOMEMLIMIT", "valueFrom": {"resourceFieldRef": {"resource": "limits.memory"}}},
        {"name": "GOMAXPROCS", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu"}}},
    ]
    return plain + field_refs


def _volumes(cfg: InstallConfig) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    mounts: list[dict[str, Any]] = [
        {"name": "istio-token", "mountPath": "/var/run/secrets/tokens", "readOnly": True},
        {"name": "local-certs", "mountPath": "/var/run/secrets/istio-dns"},
        {"name": "cacerts", "mountPath": "/etc/cacerts", "readOnly": True},
        {"name": "istio-kubeconfig", "mountPath": "/var/run/secrets/remote", "readOnly": True},
        {"name": "config-volume", "mountPath": "/etc/istio/config"},
        {"name": "inject", "mountPath": "/var/lib/istio/inject", "readOnly": True},
    ]
    volumes: list[dict[str, Any]] = [
        {"name": "istio-token", "projected": {"sources": [{"serviceAccountToken": {
            "audience": "istio-ca", "expirationSeconds": 43200, "path": "istio-token"}}]}},
        {"name": "local-certs", "emptyDir": {"medium": "Memory"}},
        {"name": "cacerts", "secret": {"secretName": "cacerts", "optional": True}},
        {"name": "istio-kubeconfig", "secret": {"secretName": "istio-kubeconfig", "optional": True}},
        {"name": "config-volume", "configMap": {"name": cfg.suffixed("istio")}},
        {"name": "inject", "configMap": {"name": cfg.suffixed("istio-sidecar-injector")}},
    ]
    return mounts, volumes


def _container(cfg: InstallConfig) -> dict[str, Any]:
    mounts, _ = _volumes(cfg)
    k8s = cfg.component("pilot").get("k8s") or {}
    return {
        "name": "discovery",
        "image": cfg.image(str(cfg.value("pilot", "image") or "pilot")),
        "imagePullPolicy": str(cfg.value("global", "imagePullPolicy") or "IfNotPresent"),
        "args": ["discovery", "--monitoringAddr=:15014", "--log_output_level=default:info",
                 "--domain", "cluster.local", "--keepaliveMaxServerConnectionAge", "30m"],
        "ports": [{"containerPort": 8080, "name": "http-debug", "protocol": "TCP"},
                  {"containerPort": 15010, "name": "grpc-xds", "protocol": "TCP"},
                  {"containerPort": 15012, "name": "tls-xds", "protocol": "TCP"},
                  {"containerPort": 15017, "name": "https-webhooks", "protocol": "TCP"},
                  {"containerPort": 15014, "name": "http-monitoring", "protocol": "TCP"}],
        "readinessProbe": {"httpGet": {"path": "/ready", "port": 8080}, "initialDelaySeconds": 1,
                           "periodSeconds": 3, "timeoutSeconds": 5},
        "env": _env(cfg),
        "resources": resources_of(k8s.get("resources") or {}),
        "securityContext": {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
                            "runAsNonRoot": True, "capabilities": {"drop": ["ALL"]}},
        "volumeMounts": mounts,
    }


def deployment(cfg: InstallConfig) -> Obj:
    """The istiod Deployment, image ``<hub>/pilot:<tag>``."""
    labels = app_labels(cfg)
    obj = new("apps/v1", "Deployment", cfg.suffixed("istiod"), cfg, "pilot", labels=labels)
    k8s = cfg.component("pilot").get("k8s") or {}
    _, volumes = _volumes(cfg)
    spec: dict[str, Any] = {
        "selector": {"matchLabels": dict(sorted(labels.items()))},
        "strategy": {"rollingUpdate": {"maxSurge": "100%", "maxUnavailable": "25%"}},
        "template": {
            "metadata": {"labels": dict(sorted({**labels, "sidecar.istio.io/inject": "false"}.items())),
                         "annotations": {"prometheus.io/port": "15014", "prometheus.io/scrape": "true",
                                         **dict(sorted((k8s.get("podAnnotations") or {}).items()))}},
            "spec": {
                "serviceAccountName": rbac.istiod_sa_name(cfg),
                "securityContext": {"fsGroup": 1337, "runAsGroup": 1337, "runAsUser": 1337},
                "containers": [_container(cfg)],
                "volumes": volumes,
            },
        },
    }
    if not cfg.value("pilot", "autoscaleEnabled"):
        spec["replicas"] = int(k8s.get("replicaCount") or cfg.value("pilot", "replicaCount") or 1)
    if k8s.get("nodeSelector"):
        spec["template"]["spec"]["nodeSelector"] = dict(sorted(k8s["nodeSelector"].items()))
    if k8s.get("tolerations"):
        spec["template"]["spec"]["tolerations"] = list(k8s["tolerations"])
    obj["spec"] = spec
    return obj


def service(cfg: InstallConfig) -> Obj:
    """istiod's Service: 15010, 15012, 443 -> 15017 and 15014 (no selector for a remote istiod)."""
    obj = new("v1", "Service", cfg.suffixed("istiod"), cfg, "pilot", labels=app_labels(cfg))
    ports = [{"name": "grpc-xds", "port": 15010, "protocol": "TCP", "targetPort": 15010},
             {"name": "https-dns", "port": 15012, "protocol": "TCP", "targetPort": 15012},
             {"name": "https-webhook", "port": 443, "protocol": "TCP", "targetPort": 15017},
             {"name": "http-monitoring", "port": 15014, "protocol": "TCP", "targetPort": 15014}]
    obj["spec"] = {"ports": ports}
    if cfg.enabled("pilot"):
        obj["spec"]["selector"] = {"app": "istiod", "istio.io/rev": cfg.rev_label}
    return obj


def pdb(cfg: InstallConfig) -> Obj:
    """A PodDisruptionBudget keeping one istiod up."""
    obj = new("policy/v1", "PodDisruptionBudget", cfg.suffixed("istiod"), cfg, "pilot", labels=app_labels(cfg))
    obj["spec"] = {"minAvailable": 1,
                   "selector": {"matchLabels": {"app": "istiod", "istio.io/rev": cfg.rev_label}}}
    return obj


def hpa(cfg: InstallConfig) -> Obj:
    """An autoscaling/v2 HorizontalPodAutoscaler on CPU."""
    k8s = cfg.component("pilot").get("k8s") or {}
    bounds = k8s.get("hpaSpec") or {}
    name = cfg.suffixed("istiod")
    obj = new("autoscaling/v2", "HorizontalPodAutoscaler", name, cfg, "pilot", labels=app_labels(cfg))
    obj["spec"] = {
        "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": name},
        "minReplicas": int(bounds.get("minReplicas") or cfg.value("pilot", "autoscaleMin") or 1),
        "maxReplicas": int(bounds.get("maxReplicas") or cfg.value("pilot", "autoscaleMax") or 5),
        "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {
            "type": "Utilization",
            "averageUtilization": int(cfg.value("pilot", "cpuTargetUtilization") or 80)}}}],
    }
    return obj


def build(cfg: InstallConfig) -> list[Obj]:
    """istiod's RBAC and workload objects (a selector-less Service only, for a remote istiod)."""
    if not cfg.enabled("pilot"):
        return [service(cfg)] if cfg.remote else []
    out = [*rbac.istiod(cfg), deployment(cfg), service(cfg), pdb(cfg)]
    if cfg.value("pilot", "autoscaleEnabled"):
        out.append(hpa(cfg))
    return out
