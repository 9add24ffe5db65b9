"""telemetry.LightstepAnalyzer: tracing through the deprecated Lightstep provider."""

from __future__ import annotations

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register


def lightstep_providers(mesh_config: dict) -> set[str]:
    """Names of meshConfig.extensionProviders that are Lightstep providers."""
    return {str(p.get("name")) for p in mesh_config.get("extensionProviders") or []
            if isinstance(p, dict) and "lightstep" in p}


@register
class LightstepAnalyzer(Analyzer):
    """Validates that lightstep provider is still used."""

    name = "telemetry.LightstepAnalyzer"
    inputs = ("Telemetry", "MeshConfig")
    codes = ("IST0002",)

    def analyze(self, ctx: Context) -> None:
        """Report each tracing provider reference that names a Lightstep extension provider."""
        names = lightstep_providers(ctx.mesh_config)
        if not names:
            return
        for tel in ctx.resources.of_kind("Telemetry"):
            for i, tracing in enumerate(tel.spec.get("tracing") or []):
                for j, provider in enumerate((tracing or {}).get("providers") or []):
                    name = (provider or {}).get("name")
                    if name in names:
                        ctx.report("IST0002", tel, path=f"spec.tracing[{i}].providers[{j}]",
                                   detail=f"tracing provider {name} uses Lightstep, which is deprecated; "
                                          "move to an OpenTelemetry provider")
