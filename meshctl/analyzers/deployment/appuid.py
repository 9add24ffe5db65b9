"""applicationUID.Analyzer: application containers must not run as the proxy's UID 1337."""

from __future__ import annotations

from typing import Any

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register
from meshctl.analysis.selectors import PROXY_CONTAINER, pod_spec
from meshctl.resource import Resource

PROXY_UID = 1337
EXEMPT_CONTAINERS = frozenset({PROXY_CONTAINER, "istio-operator"})


def is_control_plane(res: Resource) -> bool:
    """istioctl's control-plane test: an ``istio`` label, or ``release: istio``."""
    return "istio" in res.labels or res.labels.get("release") == "istio"


def _runs_as_proxy(holder: Any) -> bool:
    context = holder.get("securityContext") if isinstance(holder, dict) else None
    return isinstance(context, dict) and context.get("runAsUser") == PROXY_UID


def uses_proxy_uid(spec: dict[str, Any]) -> bool:
    """Whether the pod, or one of its application containers, runs as UID 1337."""
    if _runs_as_proxy(spec):
        return True
    return any(_runs_as_proxy(c) for c in spec.get("containers") or []
               if isinstance(c, dict) and c.get("name") not in EXEMPT_CONTAINERS)


@register
class ApplicationUIDAnalyzer(Analyzer):
    """Checks that application pods do not run as the proxy's user ID 1337."""

    name = "applicationUID.Analyzer"
    inputs = ("Pod", "Deployment")
    codes = ("IST0144",)

    def analyze(self, ctx: Context) -> None:
        """Report Pods and Deployments (outside the control plane) running as UID 1337."""
        for kind in ("Pod", "Deployment"):
            for res in ctx.resources.of_kind(kind):
                if not is_control_plane(res) and uses_proxy_uid(pod_spec(res)):
                    ctx.report("IST0144", res, path="spec")
