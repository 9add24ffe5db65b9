"""k8sgateway.CRDVersionAnalyzer: Gateway API CRDs older than this Istio needs."""

from __future__ import annotations

import re

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register

BUNDLE_VERSION = "gateway.networking.k8s.io/bundle-version"
MINIMUM_BUNDLE_VERSIONS: dict[str, tuple[int, int, int]] = {
    "grpcroutes.gateway.networking.k8s.io": (1, 1, 0),
    "backendtlspolicies.gateway.networking.k8s.io": (1, 4, 0),
    "tlsroutes.gateway.networking.k8s.io": (1, 5, 0),
}
_SEMVER = re.compile(r"^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$")


def parse_version(text: str) -> tuple[tuple[int, int, int], str] | None:
    """(major, minor, patch) and the normalised version string, or None if not a version."""
    m = _SEMVER.match(text.strip())
    if not m:
        return None
    core = (int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0))
    pre = f"-{m.group(4)}" if m.group(4) else ""
    return core, f"{core[0]}.{core[1]}.{core[2]}{pre}"


def _fmt(version: tuple[int, int, int]) -> str:
    return ".".join(str(p) for p in version)


@register
class CRDVersionAnalyzer(Analyzer):
    """Checks Gateway API CRDs are at the minimum version required by this Istio version."""

    name = "k8sgateway.CRDVersionAnalyzer"
    inputs = ("CustomResourceDefinition",)
    codes = ("IST0176",)

    def analyze(self, ctx: Context) -> None:
        """Compare each known CRD's bundle-version annotation (prerelease ignored) to its minimum."""
        for crd in ctx.resources.of_kind("CustomResourceDefinition"):
            minimum = MINIMUM_BUNDLE_VERSIONS.get(crd.name)
            bundle = crd.annotations.get(BUNDLE_VERSION)
            if minimum is None or bundle is None:
                continue
            parsed = parse_version(str(bundle))
            if parsed and parsed[0] < minimum:
                ctx.report("IST0176", crd, path=f"metadata.annotations.{BUNDLE_VERSION}",
                           crd=crd.name, version=parsed[1], minimum=_fmt(minimum))
