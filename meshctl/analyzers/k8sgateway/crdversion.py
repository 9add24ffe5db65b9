"""k8sgateway.CRDVersionAnalyzer: Gateway API CRDs older than this Istio needs."""

from __future__ import annotations

import re

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register

BUNDLE_VERSION = "gateway.networking.k8s.io/bundle-version"
_GRPC, _BACKEND_TLS, _TLS = (f"{p}.gateway.networking.k8s.io" for p in ("grpcroutes", "backendtlspolicies",
                                                                         "tlsroutes"))
MINIMUM_BUNDLE_VERSIONS: dict[tuple[int, int], dict[str, tuple[int, int, int]]] = {
    (1, 26): {_GRPC: (1, 1, 0)},
    (1, 28): {_GRPC: (1, 1, 0), _BACKEND_TLS: (1, 4, 0)},
    (1, 29): {_GRPC: (1, 1, 0), _BACKEND_TLS: (1, 4, 0), _TLS: (1, 5, 0)},
}
"""Istio minor (from) -> the oldest bundle version of each Gateway API CRD that Istio processes.
1.28 (the release meshctl targets) works with Gateway API v1.4; TLSRoute from v1.5 is needed from 1.29."""


def minimums_for(istio_version: str | None) -> dict[str, tuple[int, int, int]]:
    """The minimums of the newest table row at or below ``istio_version`` (the oldest row below all)."""
    parsed = parse_version(istio_version or "")
    rows = sorted(MINIMUM_BUNDLE_VERSIONS)
    if parsed is None:
        return MINIMUM_BUNDLE_VERSIONS[rows[-1]]
    minor = parsed[0][:2]
    fitting = [row for row in rows if row <= minor]
    return MINIMUM_BUNDLE_VERSIONS[fitting[-1] if fitting else rows[0]]
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
        """Compare each known CRD's bundle-version annotation (prerelease ignored) to its minimum for
        the Istio version analysed against (``--istio-version``, the cluster's istiod, or meshctl's)."""
        from meshctl import ISTIO_VERSION

        minimums = minimums_for(str(ctx.env.options.get("istio_version") or ISTIO_VERSION))
        for crd in ctx.resources.of_kind("CustomResourceDefinition"):
            minimum = minimums.get(crd.name)
            bundle = crd.annotations.get(BUNDLE_VERSION)
            if minimum is None or bundle is None:
                continue
            parsed = parse_version(str(bundle))
            if parsed and parsed[0] < minimum:
                ctx.report("IST0176", crd, path=f"metadata.annotations.{BUNDLE_VERSION}",
                           crd=crd.name, version=parsed[1], minimum=_fmt(minimum))
