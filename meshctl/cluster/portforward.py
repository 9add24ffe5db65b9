"""Port-forward to a pod port (Envoy's admin :15000) on 127.0.0.1 and a free local port.

Each local TCP connection gets its own portforward websocket (as kubectl does), relayed
by a thread. The first websocket is opened before the ``with`` body runs, so a missing
pod or missing RBAC rights fail at once with one sentence.
"""

from __future__ import annotations

import contextlib
import logging
import select
import socket
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from meshctl.errors import ClusterError

if TYPE_CHECKING:
    from meshctl.cluster.client import ClusterClient

log = logging.getLogger("meshctl.cluster")
_CHUNK = 65536


def _open(client: ClusterClient, namespace: str, pod: str, remote_port: int) -> Any:
    """One portforward websocket session to ``pod:remote_port``."""
    from kubernetes import client as k
    from kubernetes.client.exceptions import ApiException
    from kubernetes.stream import portforward

    core = k.CoreV1Api(client.api_client)
    try:
        return portforward(core.connect_get_namespaced_pod_portforward, pod, namespace,
                           ports=str(remote_port), _request_timeout=max(client.deadline.remaining(), 0.1))
    except ApiException as exc:
        raise ClusterError(f"cannot port-forward to pod {namespace}/{pod} port {remote_port}: "
                           f"{_handshake_failure(str(exc.reason))}") from None


def _handshake_failure(reason: str) -> str:
    """The status (and the Status message, when the body has one) of a refused websocket handshake,
    without the response headers the websocket client puts in its message."""
    import json

    status, _, rest = reason.partition(" -+-+- ")
    status = " ".join(status.removeprefix("Handshake status ").split())
    body = rest.rpartition(" -+-+- ")[2].strip()
    try:
        message = json.loads(body).get("message") if body.startswith("{") else None
    except (ValueError, AttributeError):
        message = None
    if "403" in status:
        return "403 Forbidden"
    return f"{status} ({' '.join(str(message).split())})" if message else status


def _relay(local: socket.socket, remote: Any, stop: threading.Event) -> None:
    """Copy bytes both ways until either side closes or ``stop`` is set."""
    pairs = {local.fileno(): (local, remote), remote.fileno(): (remote, local)}
    try:
        while not stop.is_set():
            ready, _, _ = select.select(list(pairs), [], [], 0.2)
            for fd in ready:
                src, dst = pairs[fd]
                data = src.recv(_CHUNK)
                if not data:
                    return
                dst.sendall(data)
    except OSError as exc:
        log.debug("port-forward connection ended: %s", exc)
    finally:
        for sock in (local, remote):
            with contextlib.suppress(OSError):
                sock.close()


class _Forwarder:
    """The listening socket and its relay threads."""

    def __init__(self, client: ClusterClient, namespace: str, pod: str, remote_port: int) -> None:
        self.client, self.namespace, self.pod, self.remote_port = client, namespace, pod, remote_port
        self.stop = threading.Event()
        self.sessions: list[Any] = [_open(client, namespace, pod, remote_port)]
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.threads: list[threading.Thread] = []

    @property
    def port(self) -> int:
        return int(self.listener.getsockname()[1])

    def _session(self) -> Any:
        if self.sessions and self.sessions[0] is not None and not self.threads:
            return self.sessions[0]
        session = _open(self.client, self.namespace, self.pod, self.remote_port)
        self.sessions.append(session)
        return session

    def serve(self) -> None:
        """Accept local connections until stopped."""
        while not self.stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                remote = self._session().socket(self.remote_port)
            except ClusterError as exc:
                log.debug("%s", exc)
                conn.close()
                continue
            remote.setblocking(True)
            thread = threading.Thread(target=_relay, args=(conn, remote, self.stop), daemon=True)
            self.threads.append(thread)
            thread.start()

    def close(self) -> None:
        """Stop accepting, end every relay and websocket."""
        self.stop.set()
        with contextlib.suppress(OSError):
            self.listener.close()
        for thread in self.threads:
            thread.join(timeout=1.0)
        for session in self.sessions:
            with contextlib.suppress(Exception):
                session.close()


@contextlib.contextmanager
def port_forward(client: ClusterClient, namespace: str, pod: str, remote_port: int) -> Iterator[int]:
    """Forward ``127.0.0.1:<free port>`` to ``pod:remote_port``; yields the local port."""
    forwarder = _Forwarder(client, namespace, pod, remote_port)
    acceptor = threading.Thread(target=forwarder.serve, name=f"port-forward {pod}:{remote_port}",
                                daemon=True)
    acceptor.start()
    try:
        yield forwarder.port
    finally:
        forwarder.close()
        acceptor.join(timeout=1.0)
