"""What a precheck is asked to do, and the cluster data it works on (gathered once)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from meshctl import ISTIO_VERSION
from meshctl.analysis.context import utc_now
from meshctl.catalogue import Level
from meshctl.precheck.names import PROFILES as PROFILES
from meshctl.resource import Resource


def no_client_version() -> str | None:
    """A client-version probe that finds nothing (the skew check is then skipped)."""
    return None


@dataclass(frozen=True)
class PrecheckRequest:
    """Everything ``meshctl precheck`` (or ``meshctl install``) asks to check."""

    files: Sequence[str] = ()
    profile: str = "default"
    revision: str | None = None
    from_version: str | None = None
    istio_namespace: str = "istio-system"
    istio_version: str = ISTIO_VERSION
    checks: Sequence[str] = ()
    suppress: Sequence[str] = ()
    failure_threshold: Level = Level.ERROR
    output_threshold: Level = Level.INFO
    ignore_unknown: bool = False
    clock: Callable[[], datetime] = utc_now
    client_version: Callable[[], str | None] = no_client_version
    allow_partial: bool = False
    strict_access: bool = False

    @property
    def target_revision(self) -> str:
        """The revision being installed (``default`` without ``--revision``)."""
        return self.revision or "default"


@dataclass(frozen=True, order=True)
class Permission:
    """One SelfSubjectAccessReview question: may I ``verb`` ``resource`` (in ``namespace``)?"""

    verb: str
    resource: str
    group: str = ""
    namespace: str | None = None

    @property
    def qualified(self) -> str:
        """``resource.group`` as RBAC and kubectl spell it."""
        return f"{self.resource}.{self.group}" if self.group else self.resource

    @property
    def scope(self) -> str:
        """``in <ns>`` or ``cluster-wide``."""
        return f"in {self.namespace}" if self.namespace else "cluster-wide"


@dataclass(frozen=True)
class PrecheckSnapshot:
    """Cluster data for the checks: read once, never refreshed, no client inside.

    ``unreadable``: kind key -> why a list of it failed; ``explained``: those failures that a
    denied SelfSubjectAccessReview already accounts for (reported once, as IST0141); ``failed``: the
    unreadable kinds whose list failed for a reason other than access (5xx, 410 on every continue,
    broken bodies): the checks that need them did not run.
    """

    now: datetime
    server_version: Mapping[str, Any] = field(default_factory=dict)
    client_version: str | None = None
    server_date: datetime | None = None
    objects: Mapping[str, tuple[Resource, ...]] = field(default_factory=dict)
    unreadable: Mapping[str, str] = field(default_factory=dict)
    explained: frozenset[str] = frozenset()
    access: Mapping[Permission, bool] = field(default_factory=dict)
    access_error: str | None = None
    failed: Mapping[str, str] = field(default_factory=dict)

    def of_kind(self, key: str) -> tuple[Resource, ...]:
        """Gathered objects of a kind key (empty when none or unreadable)."""
        return self.objects.get(key, ())

    def in_namespace(self, key: str, namespace: str) -> list[Resource]:
        """Gathered objects of a kind in one namespace."""
        return [r for r in self.of_kind(key) if r.namespace == namespace]

    def namespace(self, name: str) -> Resource | None:
        """The Namespace object, if it exists."""
        return next((n for n in self.of_kind("Namespace") if n.name == name), None)
