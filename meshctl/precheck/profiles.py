"""Resource requests of each install profile, and Kubernetes quantity parsing.

Numbers are the requests of Istio's Helm charts (sidecars and workloads not counted):

=========  ===========================================  =====================
profile    cluster-wide (Deployments)                   per node (DaemonSets)
=========  ===========================================  =====================
minimal    istiod 500m / 2048Mi                         -
default    istiod 500m / 2048Mi + ingress 100m / 128Mi  -
demo       istiod 10m / 100Mi + ingress and egress      -
           gateways 10m / 40Mi each
ambient    istiod 500m / 2048Mi                         istio-cni 100m / 100Mi
                                                        + ztunnel 200m / 512Mi
empty      -                                            -
remote     - (istiod runs in another cluster)           -
preview    as default                                   -
stable     as default                                   -
=========  ===========================================  =====================
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MI = 1024 * 1024


@dataclass(frozen=True)
class Requirement:
    """CPU in millicores and memory in bytes: in total, for the largest pod, and on every node."""

    cpu: int
    memory: int
    largest_cpu: int
    largest_memory: int
    node_cpu: int = 0
    node_memory: int = 0
    per_node: str = ""


REQUIREMENTS: dict[str, Requirement] = {
    "minimal": Requirement(500, 2048 * MI, 500, 2048 * MI),
    "default": Requirement(600, 2176 * MI, 500, 2048 * MI),
    "demo": Requirement(30, 180 * MI, 10, 100 * MI),
    "ambient": Requirement(500, 2048 * MI, 500, 2048 * MI, 300, 612 * MI, "istio-cni and ztunnel"),
    "empty": Requirement(0, 0, 0, 0),
    "remote": Requirement(0, 0, 0, 0),
    "preview": Requirement(600, 2176 * MI, 500, 2048 * MI),
    "stable": Requirement(600, 2176 * MI, 500, 2048 * MI),
}

PRIVILEGED_COMPONENTS = {"ambient": "istio-cni, ztunnel"}
"""Profiles that run privileged pods in the Istio namespace."""

NEEDS_CNI = frozenset({"ambient"})

_SUFFIX = {"": 1, "k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12, "P": 10**15, "E": 10**18,
           "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60, "m": 0.001}
_QUANTITY = re.compile(r"^([0-9.]+(?:[eE][-+]?[0-9]+)?)([a-zA-Z]*)$")


def parse_quantity(text: object) -> float | None:
    """A Kubernetes quantity (``3800m``, ``16Gi``, ``1e9``) as a number, or None."""
    m = _QUANTITY.match(str(text).strip())
    if not m or m.group(2) not in _SUFFIX:
        return None
    try:
        return float(m.group(1)) * _SUFFIX[m.group(2)]
    except ValueError:
        return None


def millicores(text: object) -> int:
    """CPU quantity in millicores (0 when unparseable)."""
    value = parse_quantity(text)
    return int(round(value * 1000)) if value is not None else 0


def memory_bytes(text: object) -> int:
    """Memory quantity in bytes (0 when unparseable)."""
    value = parse_quantity(text)
    return int(value) if value is not None else 0


def show_cpu(millis: int) -> str:
    """``1.5 CPU`` / ``600m CPU``."""
    return f"{millis / 1000:g} CPU" if millis >= 1000 else f"{millis}m CPU"


def show_memory(value: int) -> str:
    """``2.1Gi`` / ``180Mi``."""
    return f"{value / 2**30:.1f}Gi" if value >= 2**30 else f"{value // MI}Mi"
