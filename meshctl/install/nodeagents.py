"""Per-node agents: the istio-cni DaemonSet and (ambient) the ztunnel DaemonSet."""

from __future__ import annotations

from typing import Any

from meshctl.install import meshconfig, rbac
from meshctl.install.config import InstallConfig
from meshctl.install.meta import Obj, env_list, new

ALL_NODES = [{"operator": "Exists", "effect": "NoSchedule"}, {"operator": "Exists", "effect": "NoExecute"},
             {"key": "CriticalAddonsOnly", "operator": "Exists"}]


def _host_path(name: str, path: str, kind: str = "DirectoryOrCreate") -> dict[str, Any]:
    return {"name": name, "hostPath": {"path": path, "type": kind}}


def _daemonset(cfg: InstallConfig, name: str, component: str, container: dict[str, Any],
               volumes: list[dict[str, Any]], host_network: bool) -> Obj:
    labels = {"app": name, "istio.io/rev": cfg.rev_label, "k8s-app": name}
    obj = new("apps/v1", "DaemonSet", name, cfg, component, labels=labels)
    pod_spec: dict[str, Any] = {
        "serviceAccountName": name,
        "priorityClassName": "system-node-critical",
        "terminationGracePeriodSeconds": 5,
        "tolerations": ALL_NODES,
        "nodeSelector": {"kubernetes.io/os": "linux"},
        "containers": [container],
        "volumes": volumes,
    }
    if host_network:
        pod_spec["hostNetwork"] = True
        pod_spec["dnsPolicy"] = "ClusterFirstWithHostNet"
    obj["spec"] = {
        "selector": {"matchLabels": {"k8s-app": name}},
        "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}},
        "template": {"metadata": {"labels": dict(sorted({**labels, "sidecar.istio.io/inject": "false"}.items()))},
                     "spec": pod_spec},
    }
    return obj


def _field_env(*pairs: tuple[str, str]) -> list[dict[str, Any]]:
    return [{"name": n, "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": p}}} for n, p in pairs]


def cni(cfg: InstallConfig) -> list[Obj]:
    """istio-cni: ServiceAccount, ClusterRole(Binding) and the privileged node DaemonSet."""
    name = "istio-cni-node"
    bin_dir = str(cfg.value("cni", "cniBinDir") or "/opt/cni/bin")
    conf_dir = str(cfg.value("cni", "cniConfDir") or "/etc/cni/net.d")
    ambient = bool(cfg.value("cni", "ambient"))
    role_name = cfg.suffixed("istio-cni") + f"-{cfg.namespace}"
    rules = [{"apiGroups": [""], "resources": ["pods", "nodes", "namespaces"], "verbs": ["get", "list", "watch"]}]
    if ambient:
        rules.append({"apiGroups": ["apps"], "resources": ["daemonsets"], "verbs": ["get", "list", "watch"]})
    container = {
        "name": "install-cni",
        "image": cfg.image(str(cfg.value("cni", "image") or "install-cni")),
        "imagePullPolicy": str(cfg.value("global", "imagePullPolicy") or "IfNotPresent"),
        "command": ["install-cni"],
        "args": [f"--log_output_level={cfg.value('cni', 'logLevel') or 'info'}"],
        "env": env_list({"REPAIR_ENABLED": "true", "AMBIENT_ENABLED": "true" if ambient else "false",
                         "MOUNTED_CNI_NET_DIR": "/host/etc/cni/net.d", "CNI_NET_DIR": conf_dir,
                         "CNI_BIN_DIR": bin_dir, "CHAINED_CNI_PLUGIN": "true", "REVISION": cfg.rev_label})
        + _field_env(("KUBERNETES_NODE_NAME", "spec.nodeName"), ("POD_NAMESPACE", "metadata.namespace")),
        "readinessProbe": {"httpGet": {"path": "/readyz", "port": 8000}},
        "securityContext": {"privileged": True, "runAsUser": 0, "runAsGroup": 0, "runAsNonRoot": False},
        "volumeMounts": [{"name": "cni-bin-dir", "mountPath": "/host/opt/cni/bin"},
                         {"name": "cni-net-dir", "mountPath": "/host/etc/cni/net.d"},
                         {"name": "cni-socket-dir", "mountPath": "/var/run/istio-cni"},
                         {"name": "cni-netns-dir", "mountPath": "/host/proc", "readOnly": True}],
    }
    volumes = [_host_path("cni-bin-dir", bin_dir), _host_path("cni-net-dir", conf_dir),
               _host_path("cni-socket-dir", "/var/run/istio-cni"), _host_path("cni-netns-dir", "/proc", "Directory")]
    return [rbac.service_account(cfg, name, "cni"),
            rbac.cluster_role(cfg, role_name, "cni", rules),
            _bind(cfg, role_name, "cni", name),
            _daemonset(cfg, name, "cni", container, volumes, host_network=True)]


def _bind(cfg: InstallConfig, role_name: str, component: str, sa: str) -> Obj:
    return rbac.binding(cfg, "ClusterRoleBinding", role_name, component, sa)


def ztunnel(cfg: InstallConfig) -> list[Obj]:
    """ztunnel: ServiceAccount and the per-node proxy DaemonSet."""
    name = "ztunnel"
    container = {
        "name": "istio-proxy",
        "image": cfg.image(str(cfg.value("ztunnel", "image") or "ztunnel")),
        "imagePullPolicy": str(cfg.value("global", "imagePullPolicy") or "IfNotPresent"),
        "args": ["proxy", "ztunnel"],
        "env": env_list({"CA_ADDRESS": f"{meshconfig.istiod_host(cfg)}:15012",
                         "XDS_ADDRESS": f"{meshconfig.istiod_host(cfg)}:15012",
                         "RUST_LOG": str(cfg.value("ztunnel", "logLevel") or "info"),
                         "ISTIO_META_CLUSTER_ID": "Kubernetes"})
        + _field_env(("POD_NAME", "metadata.name"), ("POD_NAMESPACE", "metadata.namespace"),
                     ("NODE_NAME", "spec.nodeName"), ("INSTANCE_IP", "status.podIP"),
                     ("SERVICE_ACCOUNT", "spec.serviceAccountName")),
        "ports": [{"containerPort": 15020, "name": "ztunnel-stats", "protocol": "TCP"}],
        "readinessProbe": {"httpGet": {"path": "/healthz/ready", "port": 15021}},
        "securityContext": {"privileged": False, "readOnlyRootFilesystem": True, "runAsUser": 0,
                            "runAsGroup": 1337, "runAsNonRoot": False, "allowPrivilegeEscalation": False,
                            "capabilities": {"drop": ["ALL"],
                                             "add": ["NET_ADMIN", "SYS_ADMIN", "NET_RAW"]}},
        "volumeMounts": [{"name": "istiod-ca-cert", "mountPath": "/var/run/secrets/istio"},
                         {"name": "istio-token", "mountPath": "/var/run/secrets/tokens"},
                         {"name": "cni-ztunnel-sock-dir", "mountPath": "/var/run/ztunnel"},
                         {"name": "tmp", "mountPath": "/tmp"}],
    }
    volumes = [
        {"name": "istio-token", "projected": {"sources": [{"serviceAccountToken": {
            "audience": "istio-ca", "expirationSeconds": 43200, "path": "istio-token"}}]}},
        {"name": "istiod-ca-cert", "configMap": {"name": "istio-ca-root-cert"}},
        _host_path("cni-ztunnel-sock-dir", "/var/run/ztunnel"),
        {"name": "tmp", "emptyDir": {"medium": "Memory"}},
    ]
    return [rbac.service_account(cfg, name, "ztunnel"),
            _daemonset(cfg, name, "ztunnel", container, volumes, host_network=False)]


def build(cfg: InstallConfig) -> list[Obj]:
    """istio-cni when ``components.cni.enabled``; ztunnel when ``components.ztunnel.enabled``."""
    out: list[Obj] = []
    if cfg.enabled("cni"):
        out += cni(cfg)
    if cfg.enabled("ztunnel"):
        out += ztunnel(cfg)
    return out
