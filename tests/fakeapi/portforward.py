"""pods/<name>/portforward over WebSocket (v4.channel.k8s.io), relayed to local TCP ports."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import socket
import struct
import threading
from typing import TYPE_CHECKING, BinaryIO
from urllib.parse import parse_qsl, urlsplit

from .api import not_found_generic
from .status import bad_request, not_found

if TYPE_CHECKING:
    from .handler import Handler
    from .routing import Request
    from .server import FakeApiServer

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
PROTOCOLS = ("v4.channel.k8s.io", "portforward.k8s.io")
OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0x2, 0x8, 0x9, 0xA


def _frame(opcode: int, payload: bytes) -> bytes:
    n = len(payload)
    if n < 126:
        head = struct.pack("!BB", 0x80 | opcode, n)
    elif n < 1 << 16:
        head = struct.pack("!BBH", 0x80 | opcode, 126, n)
    else:
        head = struct.pack("!BBQ", 0x80 | opcode, 127, n)
    return head + payload


def _read_exact(stream: BinaryIO, n: int) -> bytes:
    data = stream.read(n)
    if data is None or len(data) < n:
        raise EOFError
    return data


def read_frame(stream: BinaryIO) -> tuple[int, bytes]:
    """(opcode, unmasked payload) of the next client frame."""
    b0, b1 = _read_exact(stream, 2)
    length = b1 & 0x7F
    if length == 126:
        (length,) = struct.unpack("!H", _read_exact(stream, 2))
    elif length == 127:
        (length,) = struct.unpack("!Q", _read_exact(stream, 8))
    mask = _read_exact(stream, 4) if b1 & 0x80 else b""
    data = _read_exact(stream, length)
    if mask:
        data = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
    return b0 & 0x0F, data


def _ports(raw_path: str) -> list[int]:
    ports: list[int] = []
    for key, value in parse_qsl(urlsplit(raw_path).query):
        if key == "ports":
            ports.extend(int(p) for p in value.split(",") if p.strip())
    if not ports:
        raise bad_request("at least one port must be specified")
    return ports


def _pod_parts(path: str) -> tuple[str, str]:
    parts = [p for p in path.split("/") if p]
    if len(parts) != 7 or parts[:4] != ["api", "v1", "namespaces", parts[3]] or parts[4] != "pods":
        raise not_found_generic()
    return parts[3], parts[5]


class _Session:
    """One WebSocket connection carrying one TCP stream per requested port."""

    def __init__(self, handler: Handler, ports: list[int]) -> None:
        self.handler = handler
        self.ports = ports
        self.lock = threading.Lock()
        self.conns: dict[int, socket.socket] = {}
        self.closed = threading.Event()

    def send(self, opcode: int, payload: bytes) -> None:
        with self.lock:
            if self.closed.is_set():
                return
            try:
                self.handler.wfile.write(_frame(opcode, payload))
                self.handler.wfile.flush()
            except OSError:
                self.closed.set()

    def close(self) -> None:
        self.send(OP_CLOSE, struct.pack("!H", 1000))
        self.closed.set()
        for conn in self.conns.values():
            with contextlib.suppress(OSError):
                conn.close()
        with contextlib.suppress(OSError):
            self.handler.connection.shutdown(socket.SHUT_RDWR)

    def pump_tcp(self, index: int, conn: socket.socket) -> None:
        """TCP -> WebSocket for one port; the session ends when the target closes."""
        channel = bytes([index * 2])
        try:
            while data := conn.recv(65536):
                self.send(OP_BINARY, channel + data)
        except OSError:
            pass
        self.close()

    def pump_ws(self) -> None:
        """WebSocket -> TCP until the client closes."""
        try:
            while not self.closed.is_set():
                opcode, data = read_frame(self.handler.rfile)
                if opcode == OP_CLOSE:
                    break
                if opcode == OP_PING:
                    self.send(OP_PONG, data)
                elif opcode == OP_BINARY and data and data[0] % 2 == 0:
                    conn = self.conns.get(data[0] // 2)
                    if conn is not None and len(data) > 1:
                        conn.sendall(data[1:])
        except (EOFError, OSError, ValueError):
            pass
        self.close()


def _handshake(handler: Handler, req: Request) -> None:
    key = req.headers.get("sec-websocket-key", "")
    offered = [p.strip() for p in req.headers.get("sec-websocket-protocol", "").split(",") if p.strip()]
    protocol = next((p for p in PROTOCOLS if p in offered), None)
    if not key or protocol is None:
        raise bad_request("unable to upgrade: missing key or unsupported subprotocol")
    accept = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
    handler.send_response_only(101, "Switching Protocols")
    handler.send_header("Upgrade", "websocket")
    handler.send_header("Connection", "Upgrade")
    handler.send_header("Sec-WebSocket-Accept", accept)
    handler.send_header("Sec-WebSocket-Protocol", protocol)
    handler.end_headers()
    handler.wfile.flush()


def serve(fake: FakeApiServer, handler: Handler, req: Request) -> None:
    """Upgrade, announce each port's channels, then relay until either side closes."""
    namespace, pod = _pod_parts(req.path)
    rt = fake.registry.get("", "v1", "pods")
    if rt is None or fake.store.find(rt, namespace, pod) is None:
        raise not_found("pods", "", pod)
    if not fake.access.allowed("create", "pods/portforward", "", namespace):
        from .access import forbidden

        raise forbidden("create", "pods/portforward", "", namespace, pod)
    ports = _ports(handler.path)
    _handshake(handler, req)
    handler.close_connection = True
    handler.connection.settimeout(None)
    session = _Session(handler, ports)
    for index, port in enumerate(ports):
        announce = struct.pack("<H", port)
        session.send(OP_BINARY, bytes([index * 2]) + announce)
        session.send(OP_BINARY, bytes([index * 2 + 1]) + announce)
        target = fake.portforward_target(namespace, pod, port)
        try:
            if target is None:
                raise ConnectionRefusedError(f"no target configured for port {port}")
            session.conns[index] = socket.create_connection(target, timeout=5)
            session.conns[index].settimeout(None)
        except OSError as exc:
            message = (f"an error occurred forwarding {port} -> {port}: error forwarding port {port} to pod "
                       f"{pod}, uid : failed to connect to localhost:{port} inside namespace: {exc}")
            session.send(OP_BINARY, bytes([index * 2 + 1]) + message.encode())
    for index, conn in session.conns.items():
        threading.Thread(target=session.pump_tcp, args=(index, conn), daemon=True).start()
    if not session.conns:
        session.close()
        return
    session.pump_ws()
