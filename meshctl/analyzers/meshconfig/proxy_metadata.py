"""meshconfig.ProxyMetadataAnalyzer: proxyMetadata keys and values the proxy agent will not understand."""

from __future__ import annotations

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register
from meshctl.mesh import mesh_configmap_names
from meshctl.resource import Resource

# Proxy agent variables that are not ISTIO_META_* (those are free-form node metadata).
AGENT_VARIABLES = frozenset({
    "BOOTSTRAP_XDS_AGENT", "ISTIO_DELTA_XDS", "PROXY_XDS_VIA_AGENT", "PROXY_XDS_DEBUG_VIA_AGENT",
    "EXIT_ON_ZERO_ACTIVE_CONNECTIONS", "MINIMUM_DRAIN_DURATION", "ISTIO_KUBE_APP_PROBERS",
    "ISTIO_AGENT_DNS_CAPTURE", "DNS_PROXY_ADDR", "CA_ADDR", "PILOT_CERT_PROVIDER", "OUTPUT_CERTS",
    "PROXY_CONFIG_XDS_AGENT", "ENABLE_AUTO_SNI", "FILE_DEBOUNCE_DURATION", "ISTIO_DUAL_STACK",
    "XDS_ROOT_CA", "CA_ROOT_CA", "SECRET_TTL", "WORKLOAD_RSA_KEY_SIZE", "ECC_SIGNATURE_ALGORITHM",
    "ECC_CURVE", "ISTIO_MULTIROOT_MESH", "ENVOY_STATUS_PORT", "ENVOY_PROMETHEUS_PORT",
    "METRIC_ROTATION_INTERVAL", "METRIC_GRACEFUL_DELETION_INTERVAL", "ISTIO_BOOTSTRAP",
    "DISABLE_ENVOY", "ISTIO_META_WORKLOAD_NAME", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY",
})
HINTS = {
    "ISTIO_ENABLE_LAZY": "on-demand loading of routes is achieved by scoping proxies with Sidecar resources, "
                        "and incremental xDS with ISTIO_DELTA_XDS",
}
DEFAULT_HINT = "ISTIO_META_* keys are passed to istiod as node metadata; other keys must be agent variables"


def _mesh_configmap(ctx: Context) -> Resource | None:
    """The ConfigMap the mesh config came from, to point findings at it."""
    found = (ctx.resources.get("ConfigMap", ctx.env.istio_namespace, name)
             for name in mesh_configmap_names(ctx.env.revision))
    return next((cm for cm in found if cm is not None), None)


@register
class ProxyMetadataAnalyzer(Analyzer):
    """Checks meshConfig.defaultConfig.proxyMetadata for unknown keys and non-string values."""

    name = "meshconfig.ProxyMetadataAnalyzer"
    inputs = ("ConfigMap",)
    codes = ("MSH0901", "MSH0902")

    def analyze(self, ctx: Context) -> None:
        """One message per problematic key."""
        metadata = (ctx.mesh_config.get("defaultConfig") or {}).get("proxyMetadata") or {}
        where = _mesh_configmap(ctx)
        origin = None if where else "MeshConfig"
        for key, value in sorted(metadata.items()):
            path = f"meshConfig.defaultConfig.proxyMetadata.{key}"
            if not isinstance(value, str):
                ctx.report("MSH0902", where, path=path, origin=origin, key=key, type=type(value).__name__,
                           value=str(value).lower() if isinstance(value, bool) else value)
            if not key.startswith("ISTIO_META_") and key not in AGENT_VARIABLES:
                ctx.report("MSH0901", where, path=path, origin=origin, key=key, hint=HINTS.get(key, DEFAULT_HINT))
