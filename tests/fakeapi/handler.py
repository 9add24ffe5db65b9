"""The HTTP/1.1 request handler: faults, authentication, dispatch, chunked streaming."""

from __future__ import annotations

import contextlib
import hmac
import json
import socket
import ssl
import time
import traceback
import uuid
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlsplit

from .routing import Request, Response, error_response
from .status import ApiError, status_body

if TYPE_CHECKING:
    from .server import FakeApiServer

PUBLIC_PATHS = {"/version", "/healthz", "/livez", "/readyz"}
FAULT_MESSAGES = {
    429: "Too many requests, please try again later.",
    500: "Internal error occurred: injected fault",
    502: "Internal error occurred: bad gateway (injected fault)",
    503: "the server is currently unable to handle the request",
    504: "the server was unable to return a response in the time allotted, but may still be processing "
         "the request",
}
CLIENT_GONE = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, ssl.SSLError, OSError)


class Handler(BaseHTTPRequestHandler):
    """One connection; keep-alive, so several requests."""

    protocol_version = "HTTP/1.1"
    timeout = 30
    fake: FakeApiServer  # set on the subclass the server creates

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        """Quiet: tests read ``fake_api.request_log`` instead."""

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self._serve()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET  # noqa: N815

    # ---- pipeline ----------------------------------------------------------------------------

    def _read_request(self) -> Request:
        split = urlsplit(self.path)
        query = dict(parse_qsl(split.query, keep_blank_values=True))
        headers = {k.lower(): v for k, v in self.headers.items()}
        length = int(headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        return Request(self.command, split.path or "/", query, headers, body)

    def _serve(self) -> None:
        req = self._read_request()
        fake = self.fake
        fake.record(req.method, req.path, req.query)
        if fake.faults.take_drop(req.method, req.path):
            self._drop()
            return
        delay = fake.faults.take_delay(req.method, req.path)
        if delay:
            time.sleep(delay)
        response = self._injected(req) or self._authenticate(req)
        if response is None and fake.is_portforward(req):
            fake.serve_portforward(self, req)
            return
        if response is None:
            response = self._dispatch(req)
        truncate = fake.faults.take_truncate(req.method, req.path)
        self._send(response, head_only=req.method == "HEAD", truncate=truncate)

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _injected(self, req: Request) -> Response | None:
        failure = self.fake.faults.take_failure(req.method, req.path)
        if failure is None:
            return None
        headers = {}
        if failure.retry_after is not None:
            value = failure.retry_after
            headers["Retry-After"] = str(int(value)) if float(value).is_integer() else str(value)
        body = status_body(failure.status, FAULT_MESSAGES[failure.status])
        if failure.status == 429:
            body["details"] = {"retryAfterSeconds": int(failure.retry_after or 1)}
        return Response(failure.status, body, headers=headers)

    def _authenticate(self, req: Request) -> Response | None:
        header = req.headers.get("authorization", "")
        if not header and req.path.rstrip("/") in PUBLIC_PATHS:
            return None
        scheme, _, given = header.partition(" ")
        expected = self.fake.token.encode()
        if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), expected):
            return None
        return Response(401, status_body(401, "Unauthorized", "Unauthorized"))

    def _dispatch(self, req: Request) -> Response:
        try:
            return self.fake.api.handle(req)
        except ApiError as err:
            return error_response(err)
        except Exception as exc:  # a bug in the fake: answer like the real server would
            self.fake.errors.append(traceback.format_exc())
            return Response(500, status_body(500, f"Internal error occurred: {exc!r}", "InternalError"))

    # ---- writing -----------------------------------------------------------------------------

    def _headers(self, response: Response) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Cache-Control", "no-cache, private")
        self.send_header("Audit-Id", str(uuid.uuid4()))
        for key, value in response.headers.items():
            self.send_header(key, value)

    def _send(self, response: Response, head_only: bool = False, truncate: bool = False) -> None:
        try:
            if response.stream is not None:
                self._send_stream(response)
                return
            payload = response.payload()
            if truncate:
                payload = payload[: len(payload) // 2]
            self._headers(response)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if not head_only:
                self.wfile.write(payload)
            self.wfile.flush()
        except CLIENT_GONE:
            self.close_connection = True

    def _send_stream(self, response: Response) -> None:
        self._headers(response)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.wfile.flush()
        try:
            for chunk in response.stream or ():
                self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                self.wfile.flush()
        except ApiError as err:
            line = json.dumps({"type": "ERROR", "object": err.body}).encode() + b"\n"
            self.wfile.write(f"{len(line):x}\r\n".encode() + line + b"\r\n")
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()
