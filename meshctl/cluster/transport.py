"""The I/O edge: send an ApiRequest and return raw bytes.

A kubeconfig with a token or a client certificate is served by a plain urllib3 pool
(:mod:`meshctl.cluster.direct`); anything else by the ``kubernetes`` client, imported inside
functions only, so importing this module stays cheap. Responses are never deserialized into the
client's model classes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from meshctl.cluster.kubeconfig import ResolvedConfig
from meshctl.cluster.requests import ApiRequest
from meshctl.errors import ClusterError

log = logging.getLogger("meshctl.cluster")
USER_AGENT = "meshctl/0.1"


@dataclass(frozen=True)
class RawResponse:
    """An HTTP answer: status, headers (lower-case keys) and the undecoded body."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    data: bytes = b""


class ConnectionFailed(Exception):
    """The request did not get an HTTP answer. ``kind`` is refused, dropped, timeout or tls."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail


def build_api_client(resolved: ResolvedConfig) -> Any:
    """The connection for ``resolved``: a direct urllib3 pool when the kubeconfig allows, else a
    ``kubernetes`` ApiClient (exec plugins, auth providers, in-cluster, ...)."""
    from meshctl.cluster.direct import connect

    return connect(resolved, USER_AGENT) or kubernetes_api_client(resolved)


def kubernetes_client_of(api: Any) -> Any:
    """The ``kubernetes`` ApiClient of a connection (port-forward needs one), built when first asked."""
    from meshctl.cluster.direct import DirectApi

    return api.kubernetes_client(kubernetes_api_client) if isinstance(api, DirectApi) else api


def kubernetes_api_client(resolved: ResolvedConfig) -> Any:
    """A ``kubernetes.client.ApiClient`` for the resolved connection, urllib3 retries off."""
    from kubernetes import client as k
    from kubernetes.config.config_exception import ConfigException

    cfg = k.Configuration()
    try:
        if resolved.in_cluster:
            _load_in_cluster(resolved, cfg)
        else:
            from kubernetes.config.kube_config import KubeConfigLoader

            with _captured_errors() as errors:
                KubeConfigLoader(config_dict=resolved.kubeconfig, active_context=resolved.context_name,
                                 config_base_path="").load_and_set(cfg)
            _check_credentials(resolved, cfg, errors)
    except ConfigException as exc:
        raise ClusterError(f"invalid cluster configuration for context {resolved.context_name}: "
                           f"{exc}") from None
    cfg.retries = False  # meshctl retries itself, within the deadline; fail fast on refusals
    if not cfg.verify_ssl:
        _warn_insecure(resolved.context_name)
    api = k.ApiClient(cfg)
    api.user_agent = USER_AGENT
    return api


_CREDENTIAL_KEYS = ("token", "tokenFile", "exec", "auth-provider", "client-certificate",
                    "client-certificate-data", "username")


@contextmanager
def _captured_errors() -> Iterator[list[str]]:
    """Collect what the ``kubernetes`` loader logs at ERROR on the root logger (it logs a failed exec
    plugin there and goes on anonymously) instead of letting it print ``ERROR:root:...``."""
    import logging

    errors: list[str] = []

    class _Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            errors.append(record.getMessage())

    root = logging.getLogger()
    handler = _Collect(logging.ERROR)
    saved = root.handlers[:]
    root.handlers = [handler]
    try:
        yield errors
    finally:
        root.handlers = saved


def _user_entry(resolved: ResolvedConfig) -> tuple[str, dict[str, Any]]:
    config = resolved.kubeconfig or {}
    ctx = next((c.get("context") or {} for c in config.get("contexts") or []
                if c.get("name") == resolved.context_name), {})
    name = str(ctx.get("user") or "")
    user = next((u.get("user") or {} for u in config.get("users") or [] if u.get("name") == name), {})
    return name, dict(user)


def _credential_source(user: dict[str, Any]) -> str:
    if "exec" in user:
        command = (user.get("exec") or {}).get("command") or "?"
        return f"the exec plugin {command!r}"
    if "auth-provider" in user:
        return f"the auth provider {((user.get('auth-provider') or {}).get('name') or '?')!r}"
    if "tokenFile" in user:
        return f"the token file {user['tokenFile']}"
    return "the kubeconfig"


def _check_credentials(resolved: ResolvedConfig, cfg: Any, errors: list[str]) -> None:
    """A user whose credential could not be obtained is an error: never send a request without it."""
    name, user = _user_entry(resolved)
    if not any(key in user for key in _CREDENTIAL_KEYS):
        return  # the kubeconfig names no credential: anonymous by choice
    has = bool(any(cfg.api_key.values()) or cfg.cert_file or cfg.username)
    if has and not errors:
        return
    detail = errors[-1] if errors else "it gave no credential"
    detail = " ".join(detail.split())[:300]
    raise ClusterError(f"cannot get credentials for user {name or '?'} of context {resolved.context_name} "
                       f"from {_credential_source(user)}: {detail}")


def _warn_insecure(context: str) -> None:
    """The kubeconfig asked to skip TLS verification: obey, say so once, silence urllib3's repeats."""
    import sys
    import warnings

    import urllib3

    warnings.filterwarnings("ignore", category=urllib3.exceptions.InsecureRequestWarning)
    sys.stderr.write(f"Warning: TLS verification of the API server is off for context {context} "
                     "(insecure-skip-tls-verify in the kubeconfig)\n")


def _load_in_cluster(resolved: ResolvedConfig, cfg: Any) -> None:
    from kubernetes.config.incluster_config import InClusterConfigLoader

    host, _, port = resolved.server.removeprefix("https://").rpartition(":")
    environ = {"KUBERNETES_SERVICE_HOST": host.strip("[]"), "KUBERNETES_SERVICE_PORT": port}
    InClusterConfigLoader(token_filename=resolved.token_file, cert_filename=resolved.ca_file,
                          environ=environ).load_and_set(cfg)


def _classify(exc: BaseException) -> ConnectionFailed:
    """Map urllib3/socket exceptions to refused, timeout, dropped or tls."""
    import http.client

    import urllib3.exceptions as u3

    if isinstance(exc, u3.MaxRetryError) and exc.reason is not None:
        exc = exc.reason
    if isinstance(exc, u3.NameResolutionError):
        return ConnectionFailed("refused", "host name not found")
    if isinstance(exc, u3.NewConnectionError | ConnectionRefusedError):
        text = str(exc).lower()
        why = "connection refused" if "refused" in text else _last_clause(str(exc))
        return ConnectionFailed("refused", why)
    if isinstance(exc, u3.SSLError):
        return ConnectionFailed("tls", f"TLS handshake failed: {_last_clause(str(exc))}")
    if isinstance(exc, u3.TimeoutError | TimeoutError):
        return ConnectionFailed("timeout", "timed out")
    if isinstance(exc, u3.ProtocolError | ConnectionError | http.client.HTTPException):
        return ConnectionFailed("dropped", "the connection was dropped")
    return ConnectionFailed("dropped", f"{type(exc).__name__}: {_last_clause(str(exc))}")


def _last_clause(text: str) -> str:
    return text.rsplit(": ", 1)[-1].strip(" ')\"") or text


def send(api: Any, req: ApiRequest, timeout: float) -> RawResponse:
    """Send one request with a total timeout; raise ConnectionFailed when no answer came."""
    import urllib3.exceptions as u3

    from meshctl.cluster.direct import DirectApi

    log.debug("%s", req.describe())  # never the body: it may carry Secret data
    if isinstance(api, DirectApi):
        try:
            status, resp_headers, data = api.request(req, timeout)
        except (u3.HTTPError, OSError) as exc:
            raise _classify(exc) from None
        return RawResponse(status, resp_headers, data)
    from kubernetes.client.exceptions import ApiException

    headers = {"Accept": req.accept}
    if req.content_type:
        headers["Content-Type"] = req.content_type
    method, url, headers, body, _ = api.param_serialize(
        req.method, req.path, query_params=list(req.query), header_params=headers,
        body=req.body, auth_settings=["BearerToken"])
    resp = None
    try:
        resp = api.call_api(method, url, header_params=headers, body=body,
                            _request_timeout=max(timeout, 0.001))
        data = resp.read()
    except ApiException as exc:  # raised by the REST layer for TLS failures (status 0)
        raise ConnectionFailed("tls", f"TLS handshake failed: {_last_clause(str(exc.reason))}") from None
    except (u3.HTTPError, OSError) as exc:
        raise _classify(exc) from None
    finally:
        _release(resp)
    return RawResponse(resp.status, {k.lower(): v for k, v in resp.headers.items()}, data or b"")


def _release(resp: Any) -> None:
    raw = getattr(resp, "response", None)
    if raw is not None:
        raw.release_conn()
