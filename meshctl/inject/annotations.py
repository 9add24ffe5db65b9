"""The labels and annotations that drive sidecar injection, by Istio's names."""

from __future__ import annotations

from collections.abc import Mapping

from meshctl.conventions import labels as names

INJECT = names.SIDECAR_INJECT
STATUS = names.SIDECAR_STATUS
REV = names.REVISION
INJECTION_LABEL = names.INJECTION
PROXY_IMAGE = "sidecar.istio.io/proxyImage"
PROXY_CPU = "sidecar.istio.io/proxyCPU"
PROXY_MEMORY = "sidecar.istio.io/proxyMemory"
PROXY_CPU_LIMIT = "sidecar.istio.io/proxyCPULimit"
PROXY_MEMORY_LIMIT = "sidecar.istio.io/proxyMemoryLimit"
INTERCEPTION_MODE = "sidecar.istio.io/interceptionMode"
INCLUDE_OUTBOUND_IP_RANGES = "traffic.sidecar.istio.io/includeOutboundIPRanges"
EXCLUDE_OUTBOUND_IP_RANGES = "traffic.sidecar.istio.io/excludeOutboundIPRanges"
INCLUDE_INBOUND_PORTS = "traffic.sidecar.istio.io/includeInboundPorts"
EXCLUDE_INBOUND_PORTS = "traffic.sidecar.istio.io/excludeInboundPorts"
EXCLUDE_OUTBOUND_PORTS = "traffic.sidecar.istio.io/excludeOutboundPorts"
INCLUDE_OUTBOUND_PORTS = "traffic.sidecar.istio.io/includeOutboundPorts"
KUBEVIRT_INTERFACES = "traffic.sidecar.istio.io/kubevirtInterfaces"
STATUS_PORT = "status.sidecar.istio.io/port"
PROXY_CONFIG = "proxy.istio.io/config"
NATIVE_SIDECAR = "sidecar.istio.io/nativeSidecar"
DEFAULT_CONTAINER = "kubectl.kubernetes.io/default-container"
DEFAULT_LOGS_CONTAINER = "kubectl.kubernetes.io/default-logs-container"
PROM_SCRAPE = "prometheus.io/scrape"
PROM_PORT = "prometheus.io/port"
PROM_PATH = "prometheus.io/path"
TLS_MODE = "security.istio.io/tlsMode"
CANONICAL_NAME = "service.istio.io/canonical-name"
CANONICAL_REVISION = "service.istio.io/canonical-revision"

PROXY_NAME = names.PROXY_CONTAINER
INIT_NAME = names.INIT_CONTAINER


def opted_out(labels: Mapping[str, str], annotations: Mapping[str, str]) -> bool:
    """Whether the pod says ``sidecar.istio.io/inject: "false"`` (label or annotation)."""
    value = labels.get(INJECT, annotations.get(INJECT, ""))
    return str(value).strip().lower() in ("false", "n", "no", "off", "0")


def canonical_name(labels: Mapping[str, str], workload: str) -> str:
    """The canonical service name Istio derives from the labels, else the workload's name."""
    for key in (CANONICAL_NAME, "app.kubernetes.io/name", "app"):
        if labels.get(key):
            return str(labels[key])
    return workload


def canonical_revision(labels: Mapping[str, str]) -> str:
    """The canonical revision Istio derives from the labels, else ``latest``."""
    for key in (CANONICAL_REVISION, "app.kubernetes.io/version", "version"):
        if labels.get(key):
            return str(labels[key])
    return "latest"
