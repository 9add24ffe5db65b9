"""Pod subresources: log and port-forward through the real client."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from kubernetes.client.rest import ApiException
from kubernetes.stream import portforward

from .conftest import pod


def test_pod_log(fake_api, core):
    fake_api.add(pod("p"))
    assert core.read_namespaced_pod_log("p", "default") == ""
    fake_api.set_pod_log("default", "p", "one\ntwo\nthree\n")
    assert core.read_namespaced_pod_log("p", "default") == "one\ntwo\nthree\n"
    assert core.read_namespaced_pod_log("p", "default", tail_lines=1) == "three\n"


def test_pod_log_container_rules(fake_api, core):
    fake_api.add(pod("p", containers=("app", "istio-proxy")))
    fake_api.set_pod_log("default", "p", "envoy says hi", container="istio-proxy")
    with pytest.raises(ApiException) as err:
        core.read_namespaced_pod_log("p", "default")
    assert err.value.status == 400
    assert "choose one of: [app istio-proxy]" in json.loads(err.value.body)["message"]
    assert core.read_namespaced_pod_log("p", "default", container="istio-proxy") == "envoy says hi"
    with pytest.raises(ApiException) as err:
        core.read_namespaced_pod_log("missing", "default")
    assert err.value.status == 404


class _Admin(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        body = json.dumps({"path": self.path}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def envoy_admin():
    server = HTTPServer(("127.0.0.1", 0), _Admin)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def _recv_all(sock: socket.socket) -> bytes:
    chunks = []
    while data := sock.recv(65536):
        chunks.append(data)
    return b"".join(chunks)


def test_portforward_relays_to_local_target(fake_api, core, envoy_admin):
    fake_api.add(pod("gw", "istio-system"))
    fake_api.set_portforward_target("istio-system", "gw", 15000, envoy_admin)
    pf = portforward(core.connect_get_namespaced_pod_portforward, "gw", "istio-system", ports="15000")
    sock = pf.socket(15000)
    sock.settimeout(5)
    sock.sendall(b"GET /config_dump HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
    response = _recv_all(sock)
    sock.close()
    assert response.startswith(b"HTTP/1.0 200")
    assert response.endswith(b'{"path": "/config_dump"}')
    assert pf.error(15000) is None


def test_portforward_without_target_reports_error(fake_api, core):
    fake_api.add(pod("gw"))
    pf = portforward(core.connect_get_namespaced_pod_portforward, "gw", "default", ports="15000")
    sock = pf.socket(15000)
    sock.settimeout(5)
    assert _recv_all(sock) == b""
    assert "error forwarding port 15000" in (pf.error(15000) or "")


def test_portforward_to_missing_pod_fails(fake_api, core):
    with pytest.raises(ApiException):
        portforward(core.connect_get_namespaced_pod_portforward, "ghost", "default", ports="15000")
