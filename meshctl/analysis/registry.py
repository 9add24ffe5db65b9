"""Analyzer base class and the decorator that registers analyzers.

How to write an analyzer (READ THIS): docs/dev/writing-analyzers.md
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, ClassVar

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


def select(names: list[str] | None) -> list[type[Analyzer]]:
    """The analyzers to run: the default set, or those named (names or aliases)."""
    registry = all_analyzers()
    if not names:
        return [a for a in registry.values() if a.default]
    by_alias = {alias: a for a in registry.values() for alias in (a.name, *a.aliases)}
    chosen: list[type[Analyzer]] = []
    for name in names:
        if name not in by_alias:
            from meshctl.errors import UsageError

            raise UsageError(f"unknown analyzer {name!r}; see 'meshctl analyze --list-analyzers'")
        if by_alias[name] not in chosen:
            chosen.append(by_alias[name])
    return chosen
