"""Analyzer base class and the decorator that registers analyzers.

How to write an analyzer (READ THIS): docs/dev/writing-analyzers.md
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar, Protocol, TypeVar

if TYPE_CHECKING:
    from meshctl.analysis.context import Context

_REGISTRY: dict[str, type[Analyzer]] = {}


class Analyzer(ABC):
    """A rule: reads declared kinds from the snapshot and reports messages.

    The docstring's first line is the description shown by ``--list-analyzers``.
    """

    name: ClassVar[str]
    inputs: ClassVar[tuple[str, ...]] = ()
    codes: ClassVar[tuple[str, ...]] = ()
    default: ClassVar[bool] = True
    aliases: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def description(cls) -> str:
        """The first line of the docstring."""
        return (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else ""

    @abstractmethod
    def analyze(self, ctx: Context) -> None:
        """Report messages through ``ctx.report``."""


def register(cls: type[Analyzer]) -> type[Analyzer]:
    """Class decorator: add an analyzer to the registry."""
    if cls.name in _REGISTRY and _REGISTRY[cls.name] is not cls:
        raise RuntimeError(f"analyzer {cls.name} registered twice")
    _REGISTRY[cls.name] = cls
    return cls


def registered(name: str) -> type[Analyzer] | None:
    """The analyzer registered as ``name`` so far (its module imported), or None."""
    return _REGISTRY.get(name)


_loaded = False


def _import_all() -> None:
    global _loaded
    if _loaded:
        return
    import importlib
    import pkgutil

    import meshctl.analyzers as pkg

    for info in pkgutil.walk_packages(pkg.__path__, prefix=f"{pkg.__name__}."):
        importlib.import_module(info.name)
    _loaded = True


def all_analyzers() -> dict[str, type[Analyzer]]:
    """Every registered analyzer by name, sorted by name."""
    _import_all()
    return dict(sorted(_REGISTRY.items()))


class _Named(Protocol):
    """An analyzer class or an index entry: what choosing among them reads."""

    @property
    def name(self) -> str: ...
    @property
    def aliases(self) -> tuple[str, ...]: ...
    @property
    def default(self) -> bool: ...


_N = TypeVar("_N", bound=_Named)


def unknown(names: list[str] | None, candidates: Iterable[_Named]) -> bool:
    """Whether a name asked for is neither the name nor an alias of any candidate."""
    known = {alias for c in candidates for alias in (c.name, *c.aliases)}
    return any(name not in known for name in names or ())


def choose(candidates: Iterable[_N], names: list[str] | None) -> list[_N]:
    """The default set of ``candidates``, or those ``names`` name (names or aliases), in the order asked."""
    every = list(candidates)
    if not names:
        return [c for c in every if c.default]
    by_alias = {alias: c for c in every for alias in (c.name, *c.aliases)}
    chosen: list[_N] = []
    for name in names:
        if name not in by_alias:
            from meshctl.errors import UsageError

            raise UsageError(f"unknown analyzer {name!r}; see 'meshctl analyze --list-analyzers'")
        if by_alias[name] not in chosen:
            chosen.append(by_alias[name])
    return chosen


def select(names: list[str] | None) -> list[type[Analyzer]]:
    """The analyzers to run: the default set, or those named (names or aliases)."""
    return choose(all_analyzers().values(), names)
