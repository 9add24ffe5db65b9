"""A frozen, indexed view of every resource an analysis sees."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from meshctl.resource import Resource

_ANY_NAMESPACE: Any = ...


class LabelIndex:
    """Resources indexed by label pair, so a matchLabels selector is answered by set intersection."""

    def __init__(self, resources: Iterable[Resource]) -> None:
        self._all = list(resources)
        self._by_pair: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i, res in enumerate(self._all):
            for key, value in res.labels.items():
                self._by_pair[(str(key), str(value))].append(i)

    def select(self, match_labels: Mapping[str, Any] | None,
               namespace: str | None | object = _ANY_NAMESPACE) -> list[Resource]:
        """Resources carrying every pair (all of them for an empty selector), in input order.

        Pass ``namespace`` to keep only that namespace (``None`` is the empty namespace).
        """
        pairs = [(str(k), str(v)) for k, v in (match_labels or {}).items()]
        if pairs:
            lists = sorted((self._by_pair.get(p, []) for p in pairs), key=len)
            hits = set(lists[0]).intersection(*lists[1:])
            found = [self._all[i] for i in sorted(hits)]
        else:
            found = list(self._all)
        if namespace is _ANY_NAMESPACE:
            return found
        return [r for r in found if r.namespace == namespace]


class Snapshot:
    """Resources indexed by kind key, namespace and name. Never changes once built."""

    def __init__(self, resources: Iterable[Resource]) -> None:
        by_kind: dict[str, dict[tuple[str | None, str], Resource]] = defaultdict(dict)
        for res in resources:
            by_kind[res.key][(res.namespace, res.name)] = res  # later wins, like an apply
        self._by_kind = {k: dict(v) for k, v in by_kind.items()}
        self._by_ns: dict[tuple[str, str | None], list[Resource]] = defaultdict(list)
        for kind, items in self._by_kind.items():
            for (ns, _), res in items.items():
                self._by_ns[(kind, ns)].append(res)
        self._label_indexes: dict[tuple[str, str | None | object], LabelIndex] = {}
        self._memo: dict[object, Any] = {}

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_kind.values())

    def __iter__(self) -> Iterator[Resource]:
        for items in self._by_kind.values():
            yield from items.values()

    def memo(self, key: object, build: Any) -> Any:
        """``build()``, computed once per snapshot and ``key`` (indexes analyzers share)."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    def kinds(self) -> set[str]:
        """The kind keys present."""
        return set(self._by_kind)

    def of_kind(self, key: str) -> list[Resource]:
        """Every resource of a kind key, in input order."""
        return list(self._by_kind.get(key, {}).values())

    def in_namespace(self, key: str, namespace: str | None) -> list[Resource]:
        """Resources of a kind in one namespace."""
        return list(self._by_ns.get((key, namespace), ()))

    def get(self, key: str, namespace: str | None, name: str) -> Resource | None:
        """One resource by kind key, namespace and name."""
        return self._by_kind.get(key, {}).get((namespace, name))

    def has(self, key: str, namespace: str | None, name: str) -> bool:
        """Whether a resource exists."""
        return self.get(key, namespace, name) is not None

    def select(self, key: str, namespace: str | None, labels: Mapping[str, str]) -> list[Resource]:
        """Resources of a kind in a namespace whose labels include every pair given."""
        return [r for r in self.in_namespace(key, namespace)
                if all(r.labels.get(k) == v for k, v in labels.items())]

    def label_index(self, key: str, namespace: str | None | object = _ANY_NAMESPACE) -> LabelIndex:
        """The resources of a kind (of one namespace, when given) indexed by label pair, built once
        per snapshot and shared by every analyzer that asks."""
        found = self._label_indexes.get((key, namespace))
        if found is None:
            items = self.of_kind(key) if namespace is _ANY_NAMESPACE else \
                self.in_namespace(key, namespace if isinstance(namespace, str) else None)
            found = self._label_indexes[(key, namespace)] = LabelIndex(items)
        return found

    def merged_with(self, overlay: Iterable[Resource]) -> Snapshot:
        """A new snapshot with ``overlay`` applied over this one (same key wins)."""
        return Snapshot([*self, *overlay])
