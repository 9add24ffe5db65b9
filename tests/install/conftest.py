"""Fresh cluster clients per test (the client cache is keyed by kubeconfig and timeout)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from meshctl.cluster.client import reset_clients


@pytest.fixture(autouse=True)
def _fresh_clients() -> Iterator[None]:
    reset_clients()
    yield
    reset_clients()
