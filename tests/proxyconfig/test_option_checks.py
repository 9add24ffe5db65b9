"""Option values of every pc subcommand are checked (exit 64, one line) and every subcommand says the
same thing, with the same exit status, about an HTTP server that is not Envoy's admin API."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

SUBCOMMANDS = ("dump", "clusters", "listeners", "routes", "secrets", "bootstrap", "ecds", "all", "endpoints")


def _one_line_usage(res) -> None:  # type: ignore[no-untyped-def]
    assert res.exit_code == 64, res.stderr
    assert res.stderr.count("\n") == 1 and res.stderr.startswith("Error: ") and "Traceback" not in res.stderr


@pytest.mark.parametrize(("args", "expected"), [
    (("clusters", "--direction", "sideways"), "--direction must be inbound or outbound, not 'sideways'"),
    (("listeners", "--type", "UDP"), "--type must be HTTP, TCP, HTTP+TCP or UNKNOWN, not 'UDP'"),
    (("endpoints", "--status", "SICK"), "--status must be HEALTHY,"),
    (("dump", "--type", "nonsense"), "--type 'nonsense' is not a config_dump section"),
])
def test_enumerated_filters_are_checked_before_reading(run_cli, tmp_path: Path, args, expected) -> None:
    # The file does not exist: a usage error must come first, not exit 65 for the file.
    res = run_cli("pc", *args, "-f", str(tmp_path / "absent.json"))
    _one_line_usage(res)
    assert expected in res.stderr


@pytest.mark.parametrize(("args"), [
    ("clusters", "--direction", "inbound"), ("clusters", "--direction", "outbound"),
    ("listeners", "--type", "http+tcp"), ("endpoints", "--status", "healthy"),
])
def test_valid_filter_values_pass(run_cli, tmp_path: Path, args) -> None:
    path = tmp_path / "d.json"
    admin = "type.googleapis.com/envoy.admin.v3."
    sections = ("ClustersConfigDump", "ListenersConfigDump", "EndpointsConfigDump")
    path.write_text(json.dumps({"configs": [{"@type": admin + s} for s in sections]}))
    res = run_cli("pc", *args, "-f", str(path))
    assert res.exit_code == 0, res.stderr


@pytest.mark.parametrize(("sub", "section"), [
    ("clusters", "clusters"), ("listeners", "listeners"), ("routes", "routes"), ("secrets", "secrets"),
    ("endpoints", "endpoints"),
])
def test_a_dump_without_the_section_exits_65(run_cli, tmp_path: Path, sub: str, section: str) -> None:
    path = tmp_path / "bootstrap-only.json"
    path.write_text(json.dumps({"configs": [
        {"@type": "type.googleapis.com/envoy.admin.v3.BootstrapConfigDump", "bootstrap": {}}]}))
    res = run_cli("pc", sub, "-f", str(path))
    assert res.exit_code == 65, res.stdout
    assert res.stdout == "" and res.stderr.count("\n") == 1
    assert f"has no {section} section" in res.stderr


@pytest.mark.parametrize("url", ["http://[::1", "ftp://127.0.0.1:15000", "http://127.0.0.1:99999", "http://"])
@pytest.mark.parametrize("sub", ["dump", "clusters", "endpoints"])
def test_invalid_admin_url_is_a_usage_error(run_cli, url: str, sub: str) -> None:
    res = run_cli("pc", sub, "--admin-url", url)
    _one_line_usage(res)
    assert f"invalid --admin-url {url!r}" in res.stderr


@pytest.fixture(params=["404", "html"])
def web_server(request: pytest.FixtureRequest) -> Iterator[str]:
    """Like ``python3 -m http.server``: 404 for Envoy's paths, or 200 with an HTML page for every path."""
    html = request.param == "html"

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            self.send_response(200 if html else 404)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<!DOCTYPE HTML><html><body>Directory listing</body></html>")

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_every_subcommand_agrees_on_a_server_that_is_not_envoy(run_cli, web_server: str) -> None:
    for sub in SUBCOMMANDS:
        res = run_cli("pc", sub, "--admin-url", web_server, "--timeout", "5")
        assert res.exit_code == 65, (sub, res.stderr)
        assert res.stderr.count("\n") == 1, (sub, res.stderr)
        assert f"Error: {web_server} does not look like an Envoy admin endpoint" in res.stderr, (sub, res.stderr)
    res = run_cli("pc", "diff", web_server, web_server, "--timeout", "5")
    assert res.exit_code == 65 and "does not look like an Envoy admin endpoint" in res.stderr
