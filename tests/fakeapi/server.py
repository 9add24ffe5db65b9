"""FakeApiServer: a loopback HTTPS kube-apiserver stand-in for tests."""

from __future__ import annotations

import collections
import contextlib
import socket
import ssl
import tempfile
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml

from .access import Access
from .api import Api
from .certs import tls_files
from .faults import Faults
from .handler import Handler
from .resources import Registry, ResourceType
from .routing import Request
from .status import ApiError
from .store import SYSTEM_NAMESPACES, Obj, Store

DEFAULT_VERSION = "v1.33.1"


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], handler: type[Handler], context: ssl.SSLContext) -> None:
        super().__init__(address, handler)
        self.context = context
        self.open_sockets: set[socket.socket] = set()
        self.lock = threading.Lock()

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, addr = self.socket.accept()
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        wrapped = self.context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        with self.lock:
            self.open_sockets.add(wrapped)
        return wrapped, addr

    def shutdown_request(self, request: Any) -> None:
        with self.lock:
            self.open_sockets.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Client hang-ups and TLS noise are not test failures."""

    def close_all(self) -> None:
        with self.lock:
            sockets = list(self.open_sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def _parse_version(git_version: str) -> dict[str, str]:
    core = git_version.lstrip("v").split("-")[0].split("+")[0]
    major, minor = (core.split(".") + ["0", "0"])[:2]
    extra = "+" if ("-" in git_version or "+" in git_version) else ""
    return {
        "major": major, "minor": minor + extra, "gitVersion": git_version,
        "gitCommit": "0000000000000000000000000000000000000000", "gitTreeState": "clean",
        "buildDate": "2025-01-01T00:00:00Z", "goVersion": "go1.24.0", "compiler": "gc",
        "platform": "linux/amd64",
    }


class FakeApiServer:
    """A kube-apiserver look-alike on 127.0.0.1 over HTTPS with bearer-token auth."""

    def __init__(self, token: str = "fake-token-0123456789", tls_dir: str | Path | None = None,
                 workdir: str | Path | None = None) -> None:
        self.token = token
        self._tls = tls_files(tls_dir)
        self.ca_file = self._tls.ca_file
        self._workdir = Path(workdir or tempfile.mkdtemp(prefix="fakeapi-"))
        self.kubeconfig = str(self._workdir / "kubeconfig")
        self.registry = Registry()
        self.store = Store(self.registry)
        self.access = Access()
        self.faults = Faults()
        self.api = Api(self)
        self.requests: collections.Counter[tuple[str, str]] = collections.Counter()
        self.request_log: list[tuple[str, str, dict[str, str]]] = []
        self.errors: list[str] = []
        self._log_lock = threading.Lock()
        self._version = _parse_version(DEFAULT_VERSION)
        self._pod_logs: dict[tuple[str, str, str], str] = {}
        self._pf_targets: dict[tuple[str, str, int], tuple[str, int]] = {}
        self._stopping = threading.Event()
        self._httpd: _HttpServer | None = None
        self._thread: threading.Thread | None = None
        self.port = 0
        self.url = ""
        for ns in SYSTEM_NAMESPACES:
            self.add({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})

    # ---- lifecycle ---------------------------------------------------------------------------

    def start(self) -> FakeApiServer:
        """Listen on a free loopback port and write the kubeconfig."""
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self._tls.cert_file, self._tls.key_file)
        context.set_alpn_protocols(["http/1.1"])
        handler = type("BoundHandler", (Handler,), {"fake": self})
        self._httpd = _HttpServer(("127.0.0.1", 0), handler, context)
        self.port = self._httpd.server_address[1]
        self.url = f"https://127.0.0.1:{self.port}"
        self._write_kubeconfig()
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.01},
                                        name=f"fakeapi-{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, end watches and close open connections."""
        self._stopping.set()
        self.store.wake()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.close_all()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> FakeApiServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def is_stopping(self) -> bool:
        """Whether stop() was called (long-running watches end)."""
        return self._stopping.is_set()

    def _write_kubeconfig(self) -> None:
        config = {
            "apiVersion": "v1", "kind": "Config", "preferences": {},
            "clusters": [{"name": "fake", "cluster": {"server": self.url,
                                                      "certificate-authority": self.ca_file}}],
            "users": [{"name": "test", "user": {"token": self.token}}],
            "contexts": [{"name": "fake", "context": {"cluster": "fake", "user": "test",
                                                      "namespace": "default"}}],
            "current-context": "fake",
        }
        Path(self.kubeconfig).write_text(yaml.safe_dump(config, sort_keys=False))

    # ---- seeding and inspection --------------------------------------------------------------

    def _type_of(self, obj: Obj) -> ResourceType:
        rt = self.registry.by_kind(obj.get("apiVersion", ""), obj.get("kind", ""))
        if rt is None:
            raise ValueError(f"the fake API server does not serve {obj.get('apiVersion')}/{obj.get('kind')} "
                             "(add its CustomResourceDefinition first)")
        return rt

    def add(self, obj: Obj) -> Obj:
        """Store an object as if created (status kept); its namespace is created when missing."""
        rt = self._type_of(obj)
        namespace = ""
        if rt.namespaced:
            namespace = (obj.get("metadata") or {}).get("namespace") or "default"
            ns_rt = self.registry.get("", "v1", "namespaces")
            if ns_rt and self.store.find(ns_rt, "", namespace) is None:
                self.store.create(ns_rt, {"metadata": {"name": namespace}}, "")
        return self.store.create(rt, obj, namespace)

    def load_yaml(self, text: str) -> list[Obj]:
        """Add every document of a multi-document YAML string (``kind: List`` expanded)."""
        added = []
        for doc in yaml.safe_load_all(text):
            if not doc:
                continue
            items = doc.get("items", []) if str(doc.get("kind", "")).endswith("List") else [doc]
            added.extend(self.add(item) for item in items)
        return added

    def get_object(self, group: str, version: str, plural: str, name: str,
                   namespace: str | None = None) -> Obj | None:
        """A copy of a stored object, or None."""
        rt = self.registry.get(group, version, plural)
        if rt is None:
            return None
        return self.store.find(rt, namespace or "", name)

    def objects(self, plural: str) -> list[Obj]:
        """Copies of every stored object of that plural (any group), all namespaces."""
        out: list[Obj] = []
        seen: set[tuple[str, str]] = set()
        for rt in self.registry.all():
            if rt.plural == plural and (rt.group, rt.plural) not in seen:
                seen.add((rt.group, rt.plural))
                out.extend(self.store.list(rt, None)[0])
        return out

    # ---- switches ----------------------------------------------------------------------------

    def deny(self, verb: str, resource: str, group: str = "", namespace: str | None = None) -> None:
        """Deny ``verb`` (or ``*``) on ``resource`` (``pods``, ``pods/log``, ``*``); None: everywhere."""
        self.access.deny(verb, resource, group, namespace)

    def allow_all(self) -> None:
        """Drop every deny rule."""
        self.access.allow_all()

    def set_version(self, git_version: str) -> None:
        """What /version reports, e.g. ``v1.29.3`` or ``v1.30.2-gke.1``."""
        self._version = _parse_version(git_version)

    def version_info(self) -> dict[str, str]:
        """The /version document."""
        return dict(self._version)

    def reset_counters(self) -> None:
        """Forget counted and logged requests."""
        with self._log_lock:
            self.requests.clear()
            self.request_log.clear()

    def record(self, method: str, path: str, query: dict[str, str]) -> None:
        """Count one request."""
        with self._log_lock:
            self.requests[(method, path)] += 1
            self.request_log.append((method, path, dict(query)))

    def set_pod_log(self, namespace: str, pod: str, text: str, container: str = "") -> None:
        """What ``pods/<pod>/log`` returns (for one container, or any)."""
        self._pod_logs[(namespace, pod, container)] = text

    def pod_log(self, namespace: str, pod: str, container: str) -> str:
        """The configured log text, empty when none."""
        logs = self._pod_logs
        return logs.get((namespace, pod, container), logs.get((namespace, pod, ""), ""))

    # ---- port-forward ------------------------------------------------------------------------

    def set_portforward_target(self, namespace: str, pod: str, remote_port: int,
                               local_host_port: tuple[str, int] | int | str) -> None:
        """Relay port-forwards to ``pod:remote_port`` to a local TCP address (port, "host:port" or tuple)."""
        self._pf_targets[(namespace, pod, int(remote_port))] = _address(local_host_port)

    def portforward_target(self, namespace: str, pod: str, port: int) -> tuple[str, int] | None:
        """Where a forwarded port goes, or None."""
        return self._pf_targets.get((namespace, pod, port))

    def is_portforward(self, req: Request) -> bool:
        """Whether this is a WebSocket upgrade to pods/<name>/portforward."""
        return req.path.rstrip("/").endswith("/portforward") and "websocket" in req.headers.get(
            "upgrade", "").lower()

    def serve_portforward(self, handler: Handler, req: Request) -> None:
        """Hand the connection over to the port-forward relay."""
        from .portforward import serve

        try:
            serve(self, handler, req)
        except ApiError as err:
            handler._send(_error(err))  # noqa: SLF001 - same package

    def snapshot(self) -> dict[str, list[Obj]]:
        """Every stored object by plural (for debugging failed tests)."""
        return {rt.plural: self.objects(rt.plural) for rt in self.registry.all()}


def _address(value: tuple[str, int] | int | str) -> tuple[str, int]:
    if isinstance(value, int):
        return ("127.0.0.1", value)
    if isinstance(value, str):
        host, _, port = value.rpartition(":")
        return (host or "127.0.0.1", int(port))
    return (value[0], int(value[1]))


def _error(err: ApiError) -> Any:
    from .routing import error_response

    return error_response(err)
