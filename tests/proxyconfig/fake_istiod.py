"""A loopback fake of istiod's HTTP debug endpoints: ``/debug/syncz`` and ``/debug/config_dump?proxyID=``."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


class FakeIstiod:
    """Serves ``syncz`` (a list of SyncStatus objects) and ``dumps`` (proxy ID -> config dump)."""

    def __init__(self) -> None:
        self.syncz: Any = []
        self.dumps: dict[str, Any] = {}
        self.requests: list[str] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                fake.requests.append(self.path)
                parts = urlsplit(self.path)
                if parts.path == "/debug/syncz":
                    self._answer(200, json.dumps(fake.syncz))
                elif parts.path == "/debug/config_dump":
                    proxy = parse_qs(parts.query).get("proxyID", [""])[0]
                    if proxy in fake.dumps:
                        self._answer(200, json.dumps(fake.dumps[proxy]))
                    else:
                        self._answer(404, f"Proxy not connected to this Pilot instance: {proxy}")
                else:
                    self._answer(404, "404 page not found")

            def _answer(self, status: int, body: str) -> None:
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json" if status == 200 else "text/plain")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.port = int(self.server.server_address[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        """Shut the server down."""
        self.server.shutdown()
        self.server.server_close()


def sync_status(proxy: str, **nonces: str) -> dict[str, Any]:
    """A SyncStatus as istiod writes it; ``nonces`` like ``cluster_sent="a"``."""
    return {"cluster_id": "Kubernetes", "proxy": proxy, "proxy_type": "sidecar", "istio_version": "1.28.0",
            **nonces}


def synced(proxy: str, types: tuple[str, ...] = ("cluster", "listener", "endpoint", "route")) -> dict[str, Any]:
    """Every type in ``types`` sent and acked with the same nonce."""
    nonces: dict[str, str] = {}
    for t in types:
        nonces[f"{t}_sent"] = nonces[f"{t}_acked"] = f"{t}-nonce-1"
    return sync_status(proxy, **nonces)
