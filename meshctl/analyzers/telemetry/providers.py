"""telemetry.ProviderAnalyzer: access logging with no provider and no mesh default."""

from __future__ import annotations

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register


@register
class ProviderAnalyzer(Analyzer):
    """Validates that providers in telemetry resource is valid."""

    name = "telemetry.ProviderAnalyzer"
    inputs = ("Telemetry", "MeshConfig")
    codes = ("IST0157",)

    def analyze(self, ctx: Context) -> None:
        """Without default access-log providers, every enabled accessLogging entry must name one."""
        defaults = ctx.mesh_config.get("defaultProviders") or {}
        if defaults.get("accessLogging"):
            return
        for tel in ctx.resources.of_kind("Telemetry"):
            for i, logging in enumerate(tel.spec.get("accessLogging") or []):
                logging = logging or {}
                if logging.get("disabled") is True or logging.get("providers"):
                    continue
                ctx.report("IST0157", tel, path=f"spec.accessLogging[{i}]",
                           name=tel.name, namespace=tel.namespace or "")
