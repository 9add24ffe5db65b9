"""A live Envoy is asked only for the sections a command shows (``/config_dump?mask=``), checked by a
recording proxy in front of the real Envoy."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest


class Recorder:
    """Forwards GETs to Envoy's admin API and records (path, query, response size)."""

    def __init__(self, upstream: str) -> None:
        import httpx

        self.seen: list[tuple[str, dict[str, list[str]], int]] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                resp = httpx.get(upstream + self.path, timeout=5)
                parts = urlsplit(self.path)
                recorder.seen.append((parts.path, parse_qs(parts.query), len(resp.content)))
                self.send_response(resp.status_code)
                self.send_header("Content-Type", resp.headers.get("content-type", "text/plain"))
                self.send_header("Content-Length", str(len(resp.content)))
                self.end_headers()
                self.wfile.write(resp.content)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def recorder(envoy: Any) -> Iterator[Recorder]:
    rec = Recorder(envoy.admin_url)
    yield rec
    rec.server.shutdown()
    rec.server.server_close()


@pytest.mark.parametrize(("args", "field"), [
    (("clusters",), "dynamic_active_clusters"), (("listeners",), "dynamic_listeners"),
    (("routes",), "dynamic_route_configs"), (("secrets",), "static_secrets"), (("bootstrap",), "bootstrap"),
    (("dump", "--type", "clusters", "--type", "routes"), "dynamic_route_configs"),
])
def test_only_the_shown_sections_are_asked_for(run_cli, recorder: Recorder, args: tuple[str, ...],
                                               field: str) -> None:
    res = run_cli("pc", *args, "--admin-url", recorder.url)
    assert res.exit_code == 0, res.stderr
    dumps = [(query, size) for path, query, size in recorder.seen if path == "/config_dump"]
    assert dumps and all("mask" in query for query, _ in dumps), recorder.seen
    assert any(field in query["mask"][0].split(",") for query, _ in dumps)


def test_a_masked_answer_is_smaller_than_the_full_dump(run_cli, recorder: Recorder) -> None:
    run_cli("pc", "dump", "--admin-url", recorder.url)
    full = next(size for path, query, size in recorder.seen if path == "/config_dump" and "mask" not in query)
    run_cli("pc", "secrets", "--admin-url", recorder.url)
    masked = next(size for path, query, size in recorder.seen if "mask" in query)
    assert masked < full
