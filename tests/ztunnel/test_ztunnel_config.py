"""meshctl ztunnel-config: tables and -o json|yaml from a saved dump, an admin URL, and a cluster."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
import yaml

from meshctl.envoy import clock

DUMP = Path(__file__).parent / "testdata" / "config_dump.json"
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)


def _lines(text: str) -> list[list[str]]:
    return [line.split() for line in text.strip().splitlines()]


def test_workloads_table(run_cli) -> None:
    res = run_cli("ztunnel-config", "workloads", "-f", str(DUMP))
    assert res.exit_code == 0, res.stderr
    rows = _lines(res.stdout)
    assert rows[0] == ["NAMESPACE", "POD", "NAME", "ADDRESS", "NODE", "WAYPOINT", "PROTOCOL"]
    assert ["orders", "cart-7f9c6d5b8-x1k2p", "10.244.1.12", "worker-1", "orders-waypoint", "HBONE"] in rows
    assert ["legacy", "batch-6d5c4b3a2-z7y6x", "10.244.2.55", "worker-2", "None", "TCP"] in rows
    assert len(rows) == 5


def test_workload_filters(run_cli) -> None:
    by_node = _lines(run_cli("zc", "workloads", "-f", str(DUMP), "--node", "worker-2").stdout)[1:]
    assert sorted(r[1] for r in by_node) == ["batch-6d5c4b3a2-z7y6x", "cart-7f9c6d5b8-q9w8e"]
    by_ns = _lines(run_cli("zc", "w", "-f", str(DUMP), "--workload-namespace", "legacy").stdout)[1:]
    assert [r[1] for r in by_ns] == ["batch-6d5c4b3a2-z7y6x"]
    by_address = _lines(run_cli("zc", "workload", "-f", str(DUMP), "--address", "10.244.1.40").stdout)[1:]
    assert [r[1] for r in by_address] == ["orders-waypoint-5c8d7b9f6-m4n5b"]


def test_services_show_waypoint_by_name_and_healthy_endpoints(run_cli) -> None:
    rows = _lines(run_cli("ztunnel-config", "services", "-f", str(DUMP)).stdout)
    assert ["orders", "cart", "10.96.12.34", "orders-waypoint", "1/2"] in rows
    assert ["default", "kubernetes", "10.96.0.1", "None", "0/0"] in rows


def test_policies_table(run_cli) -> None:
    rows = _lines(run_cli("ztunnel-config", "policies", "-f", str(DUMP)).stdout)
    assert rows[1:] == [["istio-system", "istio_converted_static_strict", "Deny", "Global"],
                        ["orders", "cart-from-shop", "Allow", "WorkloadSelector"]]


def test_certificates_validity_against_the_clock(run_cli) -> None:
    rows = _lines(run_cli("ztunnel-config", "certificates", "-f", str(DUMP)).stdout)
    cart = [r for r in rows if r[0] == "spiffe://cluster.local/ns/orders/sa/cart"]
    assert [(r[1], r[2], r[3]) for r in cart] == [("Leaf", "Available", "true"), ("Root", "Available", "true")]
    assert cart[0][4] == format(int(json.loads(DUMP.read_text())["certificates"][0]["certChain"][0]["serialNumber"]),
                                "x")
    pending = [r for r in rows if r[0].endswith("/legacy/sa/default")]
    assert pending == [["spiffe://cluster.local/ns/legacy/sa/default", "Initializing", "false"]]


def test_expired_leaf_is_not_valid(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 12, 3, tzinfo=UTC))
    rows = _lines(run_cli("ztunnel-config", "certificates", "-f", str(DUMP)).stdout)
    leaf = next(r for r in rows if r[0].endswith("/sa/cart") and r[1] == "Leaf")
    assert leaf[3] == "false"


def test_json_is_ztunnel_objects_filtered(run_cli) -> None:
    res = run_cli("ztunnel-config", "workloads", "-f", str(DUMP), "-o", "json", "--workload-namespace", "orders")
    assert res.exit_code == 0
    objects = json.loads(res.stdout)
    assert {o["name"] for o in objects} == {"cart-7f9c6d5b8-x1k2p", "cart-7f9c6d5b8-q9w8e",
                                            "orders-waypoint-5c8d7b9f6-m4n5b"}
    assert objects[0]["uid"].startswith("Kubernetes//Pod/orders/")


def test_all_yaml_has_every_section_and_version(run_cli) -> None:
    data = yaml.safe_load(run_cli("ztunnel-config", "all", "-f", str(DUMP), "-o", "yaml").stdout)
    assert list(data) == ["workloads", "services", "policies", "certificates", "version"]
    assert data["version"]["istioVersion"] == "1.28.0"
    assert len(data["services"]) == 3


def test_all_table_has_titles(run_cli) -> None:
    out = run_cli("ztunnel-config", "all", "-f", str(DUMP)).stdout
    assert [line for line in out.splitlines() if line.endswith(":")] == \
        ["Workloads:", "Services:", "Policies:", "Certificates:"]


def test_stdin_and_older_snake_case_dump(run_cli) -> None:
    old = {"by_addr": {"/10.0.0.5": {"name": "a-1", "namespace": "x", "workloadIps": ["10.0.0.5"], "node": "n",
                                     "protocol": "HBONE"}},
           "certificates": [{"identity": "spiffe://cluster.local/ns/x/sa/a", "state": "Available",
                             "cert_chain": [{"serial_number": "255", "valid_from": "2026-12-01T00:00:00Z",
                                             "expiration_time": "2026-12-02T00:00:00Z", "pem": ""}],
                             "ca_cert": []}]}
    res = run_cli("ztunnel-config", "workloads", "-f", "-", stdin=json.dumps(old))
    assert res.exit_code == 0, res.stderr
    assert _lines(res.stdout)[1] == ["x", "a-1", "10.0.0.5", "n", "None", "HBONE"]
    certs = _lines(run_cli("ztunnel-config", "certificates", "-f", "-", stdin=json.dumps(old)).stdout)
    assert certs[1][:5] == ["spiffe://cluster.local/ns/x/sa/a", "Leaf", "Available", "true", "ff"]


@pytest.mark.parametrize(("text", "fragment"), [
    ("not json at all", "is not a readable ztunnel config dump"),
    ('{"configs": []}', "use meshctl proxy-config"),
    ('[1, 2]', "expected a JSON object"),
    ('{"workloads": {"a": 1}}', "workloads is not a list of objects"),
])
def test_bad_dumps_exit_65(run_cli, text: str, fragment: str) -> None:
    res = run_cli("ztunnel-config", "workloads", "-f", "-", stdin=text)
    assert res.exit_code == 65
    assert fragment in res.stderr and "Traceback" not in res.stderr


def test_usage_errors_exit_64(run_cli) -> None:
    assert run_cli("ztunnel-config", "workloads", "-f", str(DUMP), "-o", "wide").exit_code == 64
    both = run_cli("ztunnel-config", "workloads", "-f", str(DUMP), "--admin-url", "http://127.0.0.1:1")
    assert both.exit_code == 64 and "at most one target" in both.stderr
    assert run_cli("ztunnel-config", "workloads", "--admin-url", "ftp://x").exit_code == 64


class _Admin(BaseHTTPRequestHandler):
    body = DUMP.read_bytes()

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        if self.path == "/config_dump":
            self.send_response(200)
            self.end_headers()
            self.wfile.write(self.body)
        else:
            self.send_response(404)
            self.end_headers()

    def log_message(self, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def admin_url() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _Admin)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_admin_url_reads_config_dump(run_cli, admin_url: str) -> None:
    res = run_cli("ztunnel-config", "policies", "--admin-url", admin_url)
    assert res.exit_code == 0, res.stderr
    assert "cart-from-shop" in res.stdout


def test_admin_url_not_ztunnel_is_65(run_cli, admin_url: str) -> None:
    res = run_cli("ztunnel-config", "policies", "--admin-url", admin_url + "/nope")
    assert res.exit_code == 65 and "HTTP 404" in res.stderr


def test_admin_url_unreachable_is_1(run_cli) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    res = run_cli("ztunnel-config", "workloads", "--admin-url", f"http://127.0.0.1:{port}", "--timeout", "5")
    assert res.exit_code == 1 and "cannot reach the ztunnel admin endpoint" in res.stderr
