"""Retry policy and deadline (pure)."""

from __future__ import annotations

from email.utils import formatdate

from meshctl.cluster.retry import Deadline, RetryPolicy, parse_retry_after


def test_backoff_grows_with_jitter_and_cap() -> None:
    low, high = RetryPolicy(rand=lambda: 0.0), RetryPolicy(rand=lambda: 1.0)
    assert [low.backoff(n) for n in (1, 2, 3)] == [0.1, 0.2, 0.4]
    assert [high.backoff(n) for n in (1, 2, 3)] == [0.2, 0.4, 0.8]
    assert high.backoff(20) == 5.0


def test_retry_after_wins() -> None:
    assert RetryPolicy().backoff(1, retry_after=2.0) == 2.0
    assert RetryPolicy().backoff(1, retry_after=100.0) == 5.0


def test_should_retry() -> None:
    policy = RetryPolicy(attempts=3)
    assert policy.should_retry(1, True, 429)
    assert policy.should_retry(1, True, None)
    assert not policy.should_retry(1, False, 503)
    assert not policy.should_retry(1, True, 404)
    assert not policy.should_retry(3, True, 500)


def test_parse_retry_after() -> None:
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("garbage") is None
    when = formatdate(1_000_010, usegmt=True)
    assert parse_retry_after(when, now=1_000_000) == 10.0


def test_deadline() -> None:
    now = [100.0]
    deadline = Deadline(5.0, clock=lambda: now[0])
    assert deadline.remaining() == 5.0
    now[0] = 103.0
    assert deadline.remaining() == 2.0 and not deadline.expired()
    now[0] = 110.0
    assert deadline.remaining() == 0.0 and deadline.expired()
