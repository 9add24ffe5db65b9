"""The check registry: each check is a pure function of the snapshot, registered with metadata."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from meshctl.analysis.message import Message
from meshctl.errors import UsageError
from meshctl.precheck.model import PrecheckRequest, PrecheckSnapshot
from meshctl.resource import Resource

CheckFunc = Callable[[PrecheckSnapshot, PrecheckRequest], Iterable[Message]]
DOCS = "docs/precheck.md"
CATEGORIES = ("kubernetes-version", "permissions", "existing-mesh", "cluster-readiness",
              "data-plane", "manifests")


@dataclass(frozen=True)
class Check:
    """A registered check: name, category, one-line hint, the kinds it reads, the codes it emits."""

    name: str
    category: str
    hint: str
    func: CheckFunc
    needs: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    analyzer: str = ""

    @property
    def offline(self) -> bool:
        """Whether the check reads manifests (``-f``) rather than the cluster."""
        return self.category == "manifests"

    @property
    def docs(self) -> str:
        """Where the check is explained."""
        return f"{DOCS}#{self.name}"


_CHECKS: dict[str, Check] = {}


def check(name: str, category: str, hint: str, needs: tuple[str, ...] = (),
          codes: tuple[str, ...] = (), analyzer: str = "") -> Callable[[CheckFunc], CheckFunc]:
    """Decorator: register a check function under ``name`` (``analyzer``: run that analyzer instead)."""
    if category not in CATEGORIES:
        raise RuntimeError(f"check {name}: unknown category {category}")

    def wrap(func: CheckFunc) -> CheckFunc:
        if name in _CHECKS:
            raise RuntimeError(f"check {name} registered twice")
        _CHECKS[name] = Check(name, category, hint, func, needs, codes, analyzer)
        return func

    return wrap


def _import_all() -> None:
    import meshctl.precheck.checks as pkg

    for info in pkgutil.iter_modules(pkg.__path__, prefix=f"{pkg.__name__}."):
        importlib.import_module(info.name)


def all_checks() -> list[Check]:
    """Every check, in category order then registration order."""
    _import_all()
    order = {c: i for i, c in enumerate(CATEGORIES)}
    return sorted(_CHECKS.values(), key=lambda c: order[c.category])


def select_checks(names: Iterable[str], category: str | None = None) -> list[Check]:
    """The named checks (all when none), optionally only one category; unknown names are an error."""
    checks = all_checks()
    wanted = list(names)
    known = {c.name for c in checks}
    unknown = [n for n in wanted if n not in known]
    if unknown:
        raise UsageError(f"unknown check {unknown[0]!r}; see 'meshctl precheck --list'")
    return [c for c in checks if (not wanted or c.name in wanted)
            and (category is None or c.category == category)]


CLUSTER_ORIGIN = "Cluster"


def finding(code: str, resource: Resource | None = None, origin: str = CLUSTER_ORIGIN,
            **params: object) -> Message:
    """A message about a resource, or about the cluster as a whole (origin ``Cluster``)."""
    return Message.build(code, resource, params, origin=None if resource else origin)
