"""Port-forward through the websocket subresource of the fake API server."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from meshctl.cluster.client import get_client
from meshctl.cluster.portforward import port_forward
from meshctl.errors import ClusterError

from .conftest import options, pod

pytestmark = pytest.mark.skipif(
    not (Path(__file__).parent.parent / "fakeapi" / "portforward.py").exists(),
    reason="the fake API server does not serve pods/portforward yet")


@pytest.fixture
def echo_port() -> Iterator[int]:
    """A TCP server on 127.0.0.1 that answers every line with ``echo: <line>``."""
    server = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def handle(conn: socket.socket) -> None:
        with conn:
            while data := conn.recv(4096):
                conn.sendall(b"echo: " + data)

    def serve() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            threading.Thread(target=handle, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield int(server.getsockname()[1])
    stop.set()
    thread.join()
    server.close()


def _roundtrip(port: int, text: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        conn.sendall(text)
        return conn.recv(4096)


def test_port_forward_relays_and_closes(fake_api: Any, echo_port: int) -> None:
    fake_api.add(pod("envoy"))
    fake_api.set_portforward_target("default", "envoy", 15000, echo_port)
    client = get_client(options(fake_api))
    with port_forward(client, "default", "envoy", 15000) as local:
        assert _roundtrip(local, b"hello") == b"echo: hello"
        assert _roundtrip(local, b"again") == b"echo: again"
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", local), timeout=1).close()


def test_port_forward_denied_is_one_sentence(fake_api: Any) -> None:
    fake_api.add(pod("envoy"))
    fake_api.deny("create", "pods/portforward", namespace="default")
    fake_api.deny("get", "pods/portforward", namespace="default")
    client = get_client(options(fake_api))
    with pytest.raises(ClusterError, match="cannot port-forward to pod default/envoy port 15000"), \
            port_forward(client, "default", "envoy", 15000):
        pass
