"""Label and annotation names that Istio and Kubernetes give meaning to.

Spell a name through these constants rather than as a string literal, so that one grep finds
every reader of a label.
"""

from __future__ import annotations

# Labels that choose a control plane and enable injection.
REVISION = "istio.io/rev"
TAG = "istio.io/tag"
INJECTION = "istio-injection"
DATAPLANE_MODE = "istio.io/dataplane-mode"
DEACTIVATED = "istio.io/deactivated"

# Ambient mode: which waypoint serves an object, and what traffic a waypoint serves.
USE_WAYPOINT = "istio.io/use-waypoint"
USE_WAYPOINT_NAMESPACE = "istio.io/use-waypoint-namespace"
WAYPOINT_FOR = "istio.io/waypoint-for"

# Pod labels and annotations.
SIDECAR_INJECT = "sidecar.istio.io/inject"
SIDECAR_STATUS = "sidecar.istio.io/status"
AMBIENT_REDIRECTION = "ambient.istio.io/redirection"

# Annotations of our own trade: suppressing analyzer messages.
ANALYZE_SUPPRESS = "galley.istio.io/analyze-suppress"

# Object names and containers.
PROXY_CONTAINER = "istio-proxy"
INIT_CONTAINER = "istio-init"
INJECTOR_CONFIGMAP = "istio-sidecar-injector"

# Kubernetes' own.
APP = "app"
MANAGED_BY = "app.kubernetes.io/managed-by"
