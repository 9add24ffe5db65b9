"""What an analyzer sees: the snapshot (limited to its inputs), mesh config, and a reporter."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import Any, NamedTuple

from meshctl.analysis.message import Message
from meshctl.resource import Resource
from meshctl.snapshot import LabelIndex, Snapshot


class UndeclaredInput(RuntimeError):
    """An analyzer read a kind it did not declare in ``inputs``."""


def utc_now() -> datetime:
    """The current time, timezone-aware."""
    return datetime.now(UTC)


class Environment(NamedTuple):
    """Settings shared by every analyzer in a run (change one with ``_replace``)."""

    mesh_config: dict[str, Any]
    mesh_networks: dict[str, Any]
    istio_namespace: str = "istio-system"
    revision: str = "default"
    clock: Callable[[], datetime] = utc_now
    cert_horizon: timedelta = timedelta(days=30)
    options: Mapping[str, Any] = MappingProxyType({})


class InputView:
    """The snapshot, restricted to the kinds an analyzer declared."""

    def __init__(self, snapshot: Snapshot, allowed: tuple[str, ...], analyzer: str) -> None:
        self._snapshot = snapshot
        self._allowed = frozenset(allowed)
        self._analyzer = analyzer

    def _check(self, key: str) -> None:
        if key not in self._allowed:
            raise UndeclaredInput(f"{self._analyzer} read {key}, which it does not declare")

    def of_kind(self, key: str) -> list[Resource]:
        """Every resource of a kind."""
        self._check(key)
        return self._snapshot.of_kind(key)

    def in_namespace(self, key: str, namespace: str | None) -> list[Resource]:
        """Resources of a kind in one namespace."""
        self._check(key)
        return self._snapshot.in_namespace(key, namespace)

    def get(self, key: str, namespace: str | None, name: str) -> Resource | None:
        """One resource, or None."""
        self._check(key)
        return self._snapshot.get(key, namespace, name)

    def has(self, key: str, namespace: str | None, name: str) -> bool:
        """Whether a resource exists."""
        return self.get(key, namespace, name) is not None

    def shared(self, name: str, env: object, build: Callable[[], Any]) -> Any:
        """``build()`` once per snapshot for every reader with the same inputs and environment."""
        memo = getattr(self._snapshot, "memo", None)
        if memo is None:  # a stand-in snapshot (tests): nothing to share
            return build()
        kept = memo((name, self._allowed, id(env)), lambda: (env, build()))
        if kept[0] is not env:  # a different environment that happens to reuse the id
            return build()
        return kept[1]

    def label_index(self, key: str, namespace: str | None | object = ...) -> LabelIndex:
        """The resources of a kind (of one namespace, when given) by label pair, built once per snapshot."""
        self._check(key)
        return self._snapshot.label_index(key, namespace)

    def select(self, key: str, namespace: str | None, labels: dict[str, str]) -> list[Resource]:
        """Resources of a kind in a namespace carrying all the given labels."""
        self._check(key)
        return self._snapshot.select(key, namespace, labels)


class Context:
    """Passed to ``Analyzer.analyze``: inputs, environment, and ``report``."""

    def __init__(self, snapshot: Snapshot, env: Environment, analyzer: str,
                 inputs: tuple[str, ...]) -> None:
        self.resources = InputView(snapshot, inputs, analyzer)
        self.env = env
        self.analyzer = analyzer
        self.messages: list[Message] = []

    @property
    def mesh_config(self) -> dict[str, Any]:
        """The effective mesh config."""
        return self.env.mesh_config

    def now(self) -> datetime:
        """The current time from the injectable clock."""
        return self.env.clock()

    def report(self, code: str, resource: Resource | None, path: str | None = None,
               origin: str | None = None, **params: object) -> None:
        """Record a finding about ``resource``; ``params`` fill the message template."""
        self.messages.append(Message.build(code, resource, params, self.analyzer, path, origin))
