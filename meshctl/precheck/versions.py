"""Version arithmetic and the support tables precheck compares against."""

from __future__ import annotations

import re

_VERSION = re.compile(r"v?(\d+)\.(\d+)(?:\.(\d+))?")

KUBERNETES_SUPPORT: dict[tuple[int, int], tuple[tuple[int, int], tuple[int, int]]] = {
    (1, 26): ((1, 29), (1, 32)),
    (1, 27): ((1, 29), (1, 33)),
    (1, 28): ((1, 30), (1, 34)),
}
"""Istio minor -> (oldest, newest) supported Kubernetes minor, from istio.io's support table."""

GATEWAY_API_MINIMUM: dict[tuple[int, int], tuple[int, int]] = {
    (1, 26): (1, 2), (1, 27): (1, 2), (1, 28): (1, 3),
}
"""Istio minor -> oldest Gateway API bundle it supports (older ones: MSH0807)."""

GATEWAY_API_NEXT_MINIMUM: dict[tuple[int, int], tuple[int, int]] = {
    (1, 26): (1, 3), (1, 27): (1, 3), (1, 28): (1, 4),
}
"""Istio minor -> oldest Gateway API bundle the next Istio release will support (older: IST0172)."""


def parse(text: str | None) -> tuple[int, int, int] | None:
    """(major, minor, patch) from ``1.28.0``, ``v1.33.1-gke.1``, ``1.27``; None when not a version."""
    m = _VERSION.search(text or "")
    if not m:
        return None
    return int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)


def minor(text: str | None) -> tuple[int, int] | None:
    """(major, minor), or None."""
    v = parse(text)
    return (v[0], v[1]) if v else None


def fmt(version: tuple[int, ...]) -> str:
    """``1.30``."""
    return ".".join(str(p) for p in version)


def _nearest(keys: list[tuple[int, int]], istio: str) -> tuple[int, int]:
    """The Istio minor itself when known, else the nearest known one."""
    key = minor(istio) or max(keys)
    return key if key in keys else min(keys, key=lambda k: abs(k[1] - key[1]))


def kubernetes_window(istio: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """(oldest, newest) Kubernetes minor supported by an Istio version."""
    return KUBERNETES_SUPPORT[_nearest(list(KUBERNETES_SUPPORT), istio)]


def gateway_api_minimums(istio: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """(supported now, supported by the next release) minimum Gateway API bundle versions."""
    key = _nearest(list(GATEWAY_API_MINIMUM), istio)
    return GATEWAY_API_MINIMUM[key], GATEWAY_API_NEXT_MINIMUM[key]


def image_tag_version(image: str | None) -> str | None:
    """The Istio version in an image reference (``docker.io/istio/proxyv2:1.27.1-distroless``)."""
    if not image:
        return None
    tag = image.rsplit("@", 1)[0].rpartition(":")[2] if ":" in image.rsplit("/", 1)[-1] else ""
    v = parse(tag)
    return fmt(v) if v else None
