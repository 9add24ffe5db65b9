"""Fault switches: make the next matching requests fail, stall, drop or expire."""

from __future__ import annotations

import threading
from dataclasses import dataclass


@dataclass
class Failure:
    """What to answer instead of the real response."""

    status: int
    retry_after: float | None = None


@dataclass
class _Rule:
    count: int
    path_contains: str | None = None
    method: str | None = None
    failure: Failure | None = None
    seconds: float = 0.0

    def matches(self, method: str, path: str) -> bool:
        if self.path_contains is not None and self.path_contains not in path:
            return False
        return self.method is None or self.method.upper() == method.upper()


ALLOWED_STATUSES = (429, 500, 502, 503, 504)


class Faults:
    """Thread-safe switches consulted by every request; each rule fires ``count`` times."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._fail: list[_Rule] = []
        self._slow: list[_Rule] = []
        self._drop: list[_Rule] = []
        self._truncate: list[_Rule] = []
        self._gone = 0

    def fail_next(self, count: int = 1, status: int = 500, retry_after: float | None = None,
                  path_contains: str | None = None, method: str | None = None) -> None:
        """Answer the next ``count`` matching requests with ``status`` (a Status body)."""
        if status not in ALLOWED_STATUSES:
            raise ValueError(f"status must be one of {ALLOWED_STATUSES}")
        with self._lock:
            self._fail.append(_Rule(count, path_contains, method, Failure(status, retry_after)))

    def slow(self, seconds: float, path_contains: str | None = None, count: int = 1_000_000) -> None:
        """Delay matching requests by ``seconds`` before replying (until ``clear()``)."""
        with self._lock:
            self._slow.append(_Rule(count, path_contains, seconds=seconds))

    def drop_next(self, count: int = 1, path_contains: str | None = None) -> None:
        """Close the connection of the next ``count`` matching requests without a response."""
        with self._lock:
            self._drop.append(_Rule(count, path_contains))

    def truncate_next(self, count: int = 1, path_contains: str | None = None) -> None:
        """Answer the next ``count`` matching requests with half of their body (Content-Length matching it)."""
        with self._lock:
            self._truncate.append(_Rule(count, path_contains))

    def take_truncate(self, method: str, path: str) -> bool:
        """Whether this response's body is to be cut in half."""
        with self._lock:
            return self._take(self._truncate, method, path) is not None

    def gone_on_continue(self, count: int = 1) -> None:
        """Answer 410 Expired to the next ``count`` requests that carry a continue token."""
        with self._lock:
            self._gone += count

    def clear(self) -> None:
        """Switch every fault off."""
        with self._lock:
            self._fail.clear()
            self._slow.clear()
            self._drop.clear()
            self._truncate.clear()
            self._gone = 0

    @staticmethod
    def _take(rules: list[_Rule], method: str, path: str) -> _Rule | None:
        for rule in rules:
            if rule.matches(method, path):
                rule.count -= 1
                if rule.count <= 0:
                    rules.remove(rule)
                return rule
        return None

    def take_drop(self, method: str, path: str) -> bool:
        """Whether this request's connection is to be dropped."""
        with self._lock:
            return self._take(self._drop, method, path) is not None

    def take_delay(self, method: str, path: str) -> float:
        """Seconds to wait before answering this request."""
        with self._lock:
            rule = self._take(self._slow, method, path)
        return rule.seconds if rule else 0.0

    def take_failure(self, method: str, path: str) -> Failure | None:
        """The injected failure for this request, if any."""
        with self._lock:
            rule = self._take(self._fail, method, path)
        return rule.failure if rule else None

    def take_gone(self) -> bool:
        """Whether this continue request is to get 410 Gone."""
        with self._lock:
            if self._gone > 0:
                self._gone -= 1
                return True
            return False
