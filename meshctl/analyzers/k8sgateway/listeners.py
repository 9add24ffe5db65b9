"""k8sgateway.ListenerConflictAnalyzer: listeners of one Gateway must not share port, protocol and hostname."""

from __future__ import annotations

from collections import defaultdict

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register
from meshctl.analyzers.k8sgateway.refs import dicts


@register
class ListenerConflictAnalyzer(Analyzer):
    """Checks that no two listeners of a Gateway have the same port, protocol and hostname."""

    name = "k8sgateway.ListenerConflictAnalyzer"
    inputs = ("KubernetesGateway",)
    codes = ("MSH1736",)

    def analyze(self, ctx: Context) -> None:
        """Group each Gateway's listeners by (port, protocol, hostname)."""
        for gateway in ctx.resources.of_kind("KubernetesGateway"):
            groups: dict[tuple[str, str, str], list[str]] = defaultdict(list)
            for i, listener in enumerate(dicts(gateway.spec.get("listeners"))):
                key = (str(listener.get("port", "")), str(listener.get("protocol", "")).upper(),
                       str(listener.get("hostname") or "*"))
                groups[key].append(str(listener.get("name") or f"#{i}"))
            for (port, protocol, hostname), names in groups.items():
                if len(names) > 1:
                    ctx.report("MSH1736", gateway, path="spec.listeners", listeners=", ".join(names),
                               port=port, protocol=protocol, hostname=hostname)
