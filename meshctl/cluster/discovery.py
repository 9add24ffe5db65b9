"""Discovery documents -> served resources, and kind keys -> where they are served. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from meshctl.cluster.requests import Target
from meshctl.kinds import ISTIO_GROUPS, KINDS, KindInfo


@dataclass(frozen=True)
class ServedResource:
    """One resource type the API server serves (subresources excluded)."""

    group: str
    version: str
    plural: str
    kind: str
    namespaced: bool

    @property
    def target(self) -> Target:
        """Where to send requests for it."""
        return Target(self.group, self.version, self.plural, self.namespaced)

    def as_tuple(self) -> tuple[str, str, str, str, bool]:
        """``(group, version, plural, kind, namespaced)``."""
        return (self.group, self.version, self.plural, self.kind, self.namespaced)


def group_versions(core: dict[str, Any], groups: dict[str, Any]) -> list[tuple[str, str]]:
    """Every (group, version) from the ``/api`` and ``/apis`` documents, preferred version first."""
    out = [("", str(v)) for v in core.get("versions") or []]
    for group in groups.get("groups") or []:
        name = str(group.get("name") or "")
        preferred = (group.get("preferredVersion") or {}).get("version")
        versions = [str(v.get("version")) for v in group.get("versions") or []]
        versions.sort(key=lambda v: v != preferred)
        out.extend((name, v) for v in versions)
    return out


def is_aggregated(doc: dict[str, Any]) -> bool:
    """Whether a discovery root answered with aggregated discovery (``APIGroupDiscoveryList``)."""
    return doc.get("kind") == "APIGroupDiscoveryList"


def parse_aggregated(doc: dict[str, Any]) -> tuple[list[ServedResource], list[str]]:
    """Served resources of an ``APIGroupDiscoveryList`` (versions in preference order), and the
    group versions the server marks ``Stale`` (an aggregated API that did not answer it)."""
    out: list[ServedResource] = []
    stale: list[str] = []
    for group in doc.get("items") or []:
        name = str((group.get("metadata") or {}).get("name") or "")
        for version in group.get("versions") or []:
            ver = str(version.get("version") or "")
            if version.get("freshness") == "Stale":
                stale.append(f"{name}/{ver}" if name else ver)
            for res in version.get("resources") or []:
                kind = str((res.get("responseKind") or {}).get("kind") or "")
                out.append(ServedResource(name, ver, str(res.get("resource") or ""), kind,
                                          res.get("scope") == "Namespaced"))
    return out, stale


def parse_resource_list(group: str, version: str, doc: dict[str, Any]) -> list[ServedResource]:
    """The resources of one ``APIResourceList``, without subresources like ``pods/log``."""
    return [ServedResource(group, version, str(r["name"]), str(r.get("kind") or ""),
                           bool(r.get("namespaced")))
            for r in doc.get("resources") or [] if "/" not in str(r.get("name", ""))]


@dataclass(frozen=True)
class Discovery:
    """The result of one discovery pass."""

    resources: tuple[ServedResource, ...]
    failed: tuple[tuple[str, str], ...] = ()
    """(group, why) for every group whose resources could not be discovered."""

    def find(self, group: str, plural: str, versions: Iterable[str] = ()) -> ServedResource | None:
        """The served resource for group/plural, in the first of ``versions`` served (any if empty)."""
        matches = [r for r in self.resources if r.group == group and r.plural == plural]
        for version in versions:
            for r in matches:
                if r.version == version:
                    return r
        return matches[0] if matches and not versions else None

    def find_kind(self, group: str | None, kind: str, version: str | None = None) -> ServedResource | None:
        """The served resource for a Kind (any group when ``group`` is None), preferred version first."""
        for r in self.resources:
            if r.kind == kind and (group is None or r.group == group) and version in (None, r.version):
                return r
        return None

    def target_for_key(self, key: str) -> ServedResource | None:
        """Where a kind key is served: meshctl's known kinds by version preference, else by Kind."""
        info = KINDS.get(key)
        if info is not None:
            return self.find(info.group, info.plural, info.served_versions)
        return self.find_kind(None, key)

    def failed_reason(self, key: str) -> str | None:
        """Why it is unknown whether a kind key is served (its group failed discovery), or None."""
        info = KINDS.get(key)
        if info is None or self.target_for_key(key) is not None:
            return None
        return next((why for group, why in self.failed if group == info.group), None)

    def to_json(self) -> dict[str, Any]:
        """A plain document for the on-disk cache."""
        return {"resources": [list(r.as_tuple()) for r in self.resources]}

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Discovery:
        """The inverse of :meth:`to_json` (raises on a malformed document)."""
        return cls(tuple(ServedResource(str(g), str(v), str(p), str(k), bool(n))
                         for g, v, p, k, n in doc["resources"]))

    def served_keys(self) -> set[str]:
        """Kind keys (meshctl's known kinds, plus the Kinds of everything else) the cluster serves."""
        keys = {key for key in KINDS if self.target_for_key(key) is not None}
        known = {(i.group, i.kind) for i in KINDS.values()}
        keys.update(r.kind for r in self.resources if (r.group, r.kind) not in known)
        return keys


def known_target(info: KindInfo, version: str | None = None) -> Target:
    """The target of a kind meshctl knows, without asking discovery."""
    return Target(info.group, version or info.version, info.plural, info.namespaced)


CRD_GROUPS = ISTIO_GROUPS | {"gateway.networking.k8s.io"}


def crd_backed(key: str) -> bool:
    """Whether a kind key is one that only a CustomResourceDefinition serves (Istio's, the Gateway API's)."""
    info = KINDS.get(key)
    return info is not None and info.group in CRD_GROUPS
