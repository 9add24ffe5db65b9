"""The known Istio annotations (``known.tsv``): where each belongs, its maturity and checks."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

from meshctl.conventions import labels

ANY = "Any"
INGRESS_CLASS = "kubernetes.io/ingress.class"

# Set by Istio itself, never by users: no analyzer reports them.
ALWAYS_IGNORED = frozenset({labels.SIDECAR_STATUS, "gateway.istio.io/controller-version", labels.REVISION})

# Written by istio-cni on every pod it handles: not reported as alpha on CNI pods.
CNI_DEFAULTS = frozenset({
    "sidecar.istio.io/interceptionMode",
    "traffic.sidecar.istio.io/includeInboundPorts",
    "traffic.sidecar.istio.io/excludeInboundPorts",
    "traffic.sidecar.istio.io/includeOutboundIPRanges",
})


@dataclass(frozen=True)
class AnnotationInfo:
    """One known annotation."""

    name: str
    resources: tuple[str, ...]
    status: str
    deprecated: bool
    validation: str

    @property
    def anywhere(self) -> bool:
        """Whether the annotation may be set on any kind of resource."""
        return ANY in self.resources


@cache
def known_annotations() -> dict[str, AnnotationInfo]:
    """Every known annotation by name."""
    text = resources.files(__package__).joinpath("known.tsv").read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines(), delimiter="\t")
    return {r["name"]: AnnotationInfo(r["name"], tuple(r["resources"].split(",")), r["status"],
                                      r["deprecated"] == "yes", r["validation"]) for r in rows}


def is_istio_annotation(name: str) -> bool:
    """Whether an annotation is in an Istio domain (or the one Kubernetes annotation Istio documents)."""
    return name == INGRESS_CLASS or name.split("/")[0].endswith("istio.io")
