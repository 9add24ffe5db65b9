"""pytest fixtures for the fake Kubernetes API server.

``fake_api``          a started FakeApiServer, fresh per test (stopped afterwards).
``fake_api_factory``  ``fake_api_factory(**kwargs)`` -> another started server, stopped at teardown.
``kube_api_client``   a ``kubernetes.client.ApiClient`` configured from ``fake_api.kubeconfig``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from .server import FakeApiServer


@pytest.fixture(scope="session")
def fake_api_tls_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the session's CA and server certificate live (generated once)."""
    return tmp_path_factory.mktemp("fakeapi-tls")


@pytest.fixture
def fake_api_factory(fake_api_tls_dir: Path, tmp_path_factory: pytest.TempPathFactory
                     ) -> Iterator[Callable[..., FakeApiServer]]:
    """Start extra servers: ``fake_api_factory(token="x")``; all stopped at teardown."""
    started: list[FakeApiServer] = []

    def make(**kwargs: Any) -> FakeApiServer:
        kwargs.setdefault("tls_dir", fake_api_tls_dir)
        kwargs.setdefault("workdir", tmp_path_factory.mktemp("fakeapi"))
        server = FakeApiServer(**kwargs).start()
        started.append(server)
        return server

    yield make
    for server in started:
        server.stop()


@pytest.fixture
def fake_api(fake_api_factory: Callable[..., FakeApiServer]) -> FakeApiServer:
    """A started fake API server with an empty cluster (system namespaces only)."""
    return fake_api_factory()


@pytest.fixture
def kube_api_client(fake_api: FakeApiServer) -> Iterator[Any]:
    """The real kubernetes client's ApiClient, pointed at ``fake_api``."""
    from kubernetes import config

    client = config.new_client_from_config(config_file=fake_api.kubeconfig)
    yield client
    client.close()
