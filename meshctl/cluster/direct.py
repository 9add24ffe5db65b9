"""A plain urllib3 connection for kubeconfigs whose credential is a bearer token or a client
certificate: the ``kubernetes`` package (half a second to import) is not needed to send them.

Anything else (exec plugins, auth providers, basic auth, in-cluster, TLS verification off, a proxy
or a TLS server name) goes through ``kubernetes``'s loader as before: :func:`connect` returns None.
TLS is always verified: against the kubeconfig's CA, else the ``certifi`` bundle ``kubernetes`` uses.
"""

from __future__ import annotations

import base64
import json
import os
import ssl
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from meshctl.cluster.kubeconfig import ResolvedConfig
from meshctl.cluster.requests import ApiRequest

POOL_SIZE = 8
_USER_KEYS = frozenset({"token", "tokenFile", "client-certificate", "client-certificate-data",
                        "client-key", "client-key-data"})
_CLUSTER_KEYS = frozenset({"server", "certificate-authority", "certificate-authority-data", "extensions"})


class DirectApi:
    """An HTTPS connection pool with the kubeconfig's CA, client certificate and token."""

    def __init__(self, resolved: ResolvedConfig, context: ssl.SSLContext | None, token: str | None,
                 user_agent: str) -> None:
        import urllib3

        self.resolved = resolved
        self._headers = {"User-Agent": user_agent}
        if token:
            self._headers["Authorization"] = f"Bearer {token}"
        self._pool = urllib3.PoolManager(num_pools=2, maxsize=POOL_SIZE, ssl_context=context, retries=False)
        self._kubernetes: Any = None

    def request(self, req: ApiRequest, timeout: float) -> tuple[int, dict[str, str], bytes]:
        """Send one request; urllib3's exceptions are the caller's to classify."""
        import urllib3

        headers = {**self._headers, "Accept": req.accept}
        if req.content_type:
            headers["Content-Type"] = req.content_type
        url = self.resolved.server + req.path
        if req.query:
            url += "?" + urlencode(list(req.query))
        body = json.dumps(req.body) if req.body is not None else None
        resp = self._pool.request(req.method, url, body=body, headers=headers, retries=False,
                                  timeout=urllib3.Timeout(total=max(timeout, 0.001)), preload_content=True,
                                  redirect=False)
        return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.data or b""

    def kubernetes_client(self, build: Any) -> Any:
        """The ``kubernetes`` ApiClient of the same connection (port-forward), built on first use."""
        if self._kubernetes is None:
            self._kubernetes = build(self.resolved)
        return self._kubernetes

    def close(self) -> None:
        """Close pooled connections (and the ``kubernetes`` client, if one was built)."""
        self._pool.clear()
        if self._kubernetes is not None:
            self._kubernetes.close()


def _entries(resolved: ResolvedConfig) -> tuple[dict[str, Any], dict[str, Any]] | None:
    config = resolved.kubeconfig or {}
    ctx = next((c.get("context") or {} for c in config.get("contexts") or []
                if isinstance(c, dict) and c.get("name") == resolved.context_name), None)
    if not isinstance(ctx, dict):
        return None
    cluster = next((c.get("cluster") for c in config.get("clusters") or []
                    if isinstance(c, dict) and c.get("name") == ctx.get("cluster")), None)
    user = next((u.get("user") for u in config.get("users") or []
                 if isinstance(u, dict) and u.get("name") == ctx.get("user")), None)
    if not isinstance(cluster, dict) or not isinstance(user, dict) or not user:
        return None
    return cluster, user


def connect(resolved: ResolvedConfig, user_agent: str) -> DirectApi | None:
    """A direct connection when the kubeconfig needs nothing but a CA, a token or a client
    certificate over HTTPS; None when ``kubernetes``'s loader must handle it (or report on it)."""
    if resolved.in_cluster or not resolved.server.startswith("https://"):
        return None
    entries = _entries(resolved)
    if entries is None:
        return None
    cluster, user = entries
    cluster = {k: v for k, v in cluster.items() if not (k == "insecure-skip-tls-verify" and v is False)}
    if set(cluster) - _CLUSTER_KEYS or set(user) - _USER_KEYS:
        return None
    try:
        token = _token(user)
        context = _ssl_context(cluster, user)
    except (OSError, ValueError, ssl.SSLError):
        return None  # the loader reports what is wrong with it, in its words
    has_cert = "client-certificate" in user or "client-certificate-data" in user
    if not token and not has_cert:
        return None
    return DirectApi(resolved, context, token, user_agent)


def _token(user: dict[str, Any]) -> str | None:
    """``token`` when present (even empty, as ``kubernetes``' loader has it), else ``tokenFile``'s content."""
    if "token" in user:
        return str(user["token"] or "").strip() or None
    if user.get("tokenFile"):
        return Path(str(user["tokenFile"])).read_text(encoding="utf-8").strip() or None
    return None


def _data(entry: dict[str, Any], key: str) -> bytes | None:
    """``<key>-data`` (base64) or the file ``<key>`` names, as bytes."""
    data = entry.get(f"{key}-data")
    if data:
        return base64.b64decode(str(data), validate=True)
    path = entry.get(key)
    if path:
        return Path(str(path)).read_bytes()
    return None


def _ssl_context(cluster: dict[str, Any], user: dict[str, Any]) -> ssl.SSLContext:
    ca = _data(cluster, "certificate-authority")
    if ca is not None:
        context = ssl.create_default_context(cadata=ca.decode("ascii", errors="strict"))
    else:
        context = ssl.create_default_context(cafile=_default_ca_bundle())
    cert, key = _data(user, "client-certificate"), _data(user, "client-key")
    if cert is not None:
        with _private_files(cert, key or cert) as (cert_file, key_file):
            context.load_cert_chain(cert_file, key_file)
    return context


def _default_ca_bundle() -> str | None:
    try:
        import certifi
    except ImportError:
        return None
    return str(certifi.where())


@contextmanager
def _private_files(*contents: bytes) -> Iterator[list[str]]:
    """Write PEM data to files only this user can read (``load_cert_chain`` reads files), then delete them."""
    paths: list[str] = []
    try:
        for content in contents:
            fd, path = tempfile.mkstemp(prefix="meshctl-", suffix=".pem")
            paths.append(path)
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
        yield paths
    finally:
        for path in paths:
            with suppress(OSError):
                os.unlink(path)
