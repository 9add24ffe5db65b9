"""Discovery documents -> served resources, and kind keys -> where they are served. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from meshctl.cluster.requests import Target
from meshctl.kinds import KINDS, KindInfo


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


def parse_resource_list(group: str, version: str, doc: dict[str, Any]) -> list[ServedResource]:
    """The resources of one ``APIResourceList``, without subresources like ``pods/log``."""
    return [ServedResource(group, version, str(r["name"]), str(r.get("kind") or ""),
                           bool(r.get("namespaced")))
            for r in doc.get("resources") or [] if "/" not in str(r.get("name", ""))]


@dataclass(frozen=True)
class Discovery:
    """The result of one discovery pass."""

    resources: tuple[ServedResource, ...]

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

    def served_keys(self) -> set[str]:
        """Kind keys (meshctl's known kinds, plus the Kinds of everything else) the cluster serves."""
        keys = {key for key in KINDS if self.target_for_key(key) is not None}
        known = {(i.group, i.kind) for i in KINDS.values()}
        keys.update(r.kind for r in self.resources if (r.group, r.kind) not in known)
        return keys


def known_target(info: KindInfo, version: str | None = None) -> Target:
    """The target of a kind meshctl knows, without asking discovery."""
    return Target(info.group, version or info.version, info.plural, info.namespaced)
