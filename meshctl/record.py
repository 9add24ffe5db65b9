"""Record: a base for small value classes that cost nothing to define.

A dataclass compiles its generated methods when its module is imported (0.5-1 ms each, a
large part of a command's start-up); a Record subclass lists its fields in ``__slots__``
and writes its ``__init__``, and gets equality, hashing and a repr from the fields here.
Records are read-only by convention.
"""

from __future__ import annotations


class Record:
    """Equality, hashing and repr from ``__slots__`` (or from :meth:`_identity` where a subclass
    narrows what equality compares)."""

    __slots__: tuple[str, ...] = ()
    #: slots the repr leaves out (a parsed body, a line source)
    _unshown: tuple[str, ...] = ()

    def _identity(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._identity() == other._identity()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._identity())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__ if name not in self._unshown)
        return f"{type(self).__name__}({fields})"
