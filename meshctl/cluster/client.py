"""The one cluster client: reads, writes, discovery, access reviews, retries, the deadline.

Every request goes through :meth:`ClusterClient._execute`, which retries idempotent requests
on 429/5xx and dropped connections within the command's deadline. Responses are decoded
with ``json.loads`` of the raw bytes; the ``kubernetes`` models are never used.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

from meshctl.cluster import failures
from meshctl.cluster import requests as rq
from meshctl.cluster.cache import DiscoveryCache, cache_root
from meshctl.cluster.discovery import (
    Discovery,
    ServedResource,
    crd_backed,
    group_versions,
    is_aggregated,
    known_target,
    parse_aggregated,
    parse_resource_list,
)
from meshctl.cluster.kubeconfig import ResolvedConfig, resolve
from meshctl.cluster.options import ClusterOptions
from meshctl.cluster.retry import Deadline, RetryPolicy, parse_retry_after
from meshctl.cluster.transport import ConnectionFailed, RawResponse, build_api_client, kubernetes_client_of, send
from meshctl.errors import ClusterError
from meshctl.kinds import ISTIO_GROUPS, KINDS, group_of, kind_key

log = logging.getLogger("meshctl.cluster")
Obj = dict[str, Any]
Objs = list[Obj]  # spelled out once: the class method ``list`` shadows the builtin
PREFETCH_THREADS = 4


class ClusterClient:
    """A connection to one cluster, bound to the command's deadline."""

    def __init__(self, resolved: ResolvedConfig, api: Any, timeout: float,
                 policy: RetryPolicy | None = None, sleep: Callable[[float], None] = time.sleep,
                 cache: DiscoveryCache | None = None) -> None:
        self.resolved = resolved
        from meshctl.env import current

        # counted from the start of the run (as the command's own deadline), not from this client's creation
        self.deadline = Deadline(timeout, start=current().deadline.start)
        self.policy = policy or RetryPolicy()
        self._api = api
        self._sleep = sleep
        self._discovery: Discovery | None = None
        self._from_cache = False
        self._cache = cache
        self._lock = threading.Lock()
        self._ahead_pool: ThreadPoolExecutor | None = None

    @property
    def default_namespace(self) -> str:
        """The context's namespace (or the service account's), ``default`` when unset."""
        return self.resolved.namespace

    @property
    def context_name(self) -> str:
        """The kubeconfig context in use (``in-cluster`` for the service account)."""
        return self.resolved.context_name

    @property
    def api_client(self) -> Any:
        """The ``kubernetes`` ApiClient of this connection (for the websocket port-forward only)."""
        return kubernetes_client_of(self._api)

    @property
    def server(self) -> str:
        """The API server URL."""
        return self.resolved.server

    def close(self) -> None:
        """Close the connection and stop the page prefetch threads."""
        with self._lock:
            pool, self._ahead_pool = self._ahead_pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        self._api.close()

    # -- the request loop -------------------------------------------------------------------

    def _execute(self, req: rq.ApiRequest) -> RawResponse:
        """Send with retries and the deadline; HTTP error answers are returned, not raised."""
        attempt = 0
        while True:
            attempt += 1
            remaining = self.deadline.remaining()
            if remaining <= 0:
                raise failures.timeout_error(self.deadline.seconds, req)
            resp, status, retry_after = self._try_once(req, remaining)
            if resp is not None and status is None:
                return resp
            if not self.policy.should_retry(attempt, req.idempotent, status):
                if resp is None:
                    raise ClusterError(f"the connection to the Kubernetes API server at {self.server} "
                                       f"was dropped during {req.describe()}")
                return resp
            wait = self.policy.backoff(attempt, retry_after)
            if wait >= self.deadline.remaining():
                raise failures.timeout_error(self.deadline.seconds, req)
            log.debug("retrying %s in %.2fs (attempt %d, status %s)", req.describe(), wait, attempt, status)
            self._sleep(wait)

    def _try_once(self, req: rq.ApiRequest, remaining: float
                  ) -> tuple[RawResponse | None, int | None, float | None]:
        """(response, retryable status or None, Retry-After); a dropped connection is (None, None, None)."""
        try:
            resp = send(self._api, req, remaining)
        except ConnectionFailed as exc:
            if exc.kind == "timeout":
                raise failures.timeout_error(self.deadline.seconds, req) from None
            if exc.kind in ("refused", "tls"):
                raise failures.unreachable_error(self.server, exc.detail) from None
            return None, None, None
        if resp.status in (429, 500, 502, 503, 504):
            return resp, resp.status, parse_retry_after(resp.headers.get("retry-after"))
        return resp, None, None

    def _read(self, req: rq.ApiRequest, first: RawResponse | None = None,
              on_raw: Callable[[RawResponse], None] | None = None) -> tuple[RawResponse, Any]:
        """Execute and decode the JSON body; a body that does not decode (truncated) is asked for
        again like a 5xx, then fails. An HTTP error answer is returned undecoded (None).
        ``first``: the answer to the first attempt, already received; ``on_raw`` sees every answer
        before it is decoded."""
        attempt = 0
        while True:
            attempt += 1
            resp = first if first is not None and attempt == 1 else self._execute(req)
            if on_raw is not None:
                on_raw(resp)
            if resp.status >= 400:
                return resp, None
            try:
                return resp, (json.loads(resp.data) if resp.data else {})
            except ValueError:  # JSONDecodeError and UnicodeDecodeError both
                if not req.idempotent or attempt >= self.policy.attempts:
                    raise failures.bad_body_error(req, attempt) from None
                wait = self.policy.backoff(attempt)
                if wait >= self.deadline.remaining():
                    raise failures.bad_body_error(req, attempt) from None
                log.debug("retrying %s: the body did not decode", req.describe())
                self._sleep(wait)

    def _call(self, req: rq.ApiRequest, allow_404: bool = False) -> Obj | None:
        """Execute and decode; raise the one-sentence error for an HTTP error answer."""
        resp, doc = self._read(req)
        if allow_404 and resp.status == 404:
            return None
        if resp.status >= 400:
            raise failures.status_error(req, resp.status, resp.data)
        return doc if isinstance(doc, dict) else {}

    def _json(self, req: rq.ApiRequest) -> Obj:
        doc = self._call(req)
        assert doc is not None
        return doc

    # -- discovery --------------------------------------------------------------------------

    def server_version(self) -> dict[str, Any]:
        """``/version``: gitVersion, major, minor, platform."""
        return self._json(rq.ApiRequest("GET", "/version"))

    def server_date(self) -> datetime | None:
        """The API server's clock, from the ``Date`` header of ``/version`` (None if absent)."""
        resp = self._execute(rq.ApiRequest("GET", "/version"))
        value = resp.headers.get("date")
        if not value:
            return None
        try:
            return parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None

    def discovery(self) -> Discovery:
        """Discovery, from the disk cache when it is fresh, else two requests (aggregated discovery)."""
        with self._lock:
            if self._discovery is None:
                cached = self._cache.load(self.server) if self._cache else None
                self._from_cache = cached is not None
                self._discovery = cached or self._discover()
            return self._discovery

    def refresh_discovery(self) -> bool:
        """Discover again if the current answer came from the cache (a kind was missing from it)."""
        with self._lock:
            if not self._from_cache:
                return False
            if self._cache:
                self._cache.forget(self.server)
            self._discovery, self._from_cache = self._discover(), False
            return True

    def discovery_for(self, keys: Iterable[str], trust_absent_crds: bool = False) -> Discovery:
        """Discovery that serves ``keys`` if the cluster does: a cached answer missing one is refreshed.
        With ``trust_absent_crds``, kinds only ever served by a CRD (Istio's, the Gateway API's) that
        the cached answer lacks do not refresh it: the caller checks the CRD list instead."""
        found = self.discovery()
        missing = [k for k in keys if k in KINDS and found.target_for_key(k) is None]
        if trust_absent_crds:
            missing = [k for k in missing if not crd_backed(k)]
        if missing and self.refresh_discovery():
            found = self.discovery()
        return found

    @property
    def discovery_from_cache(self) -> bool:
        """Whether the discovery in use was read from the disk cache."""
        return self._from_cache

    def _discover(self) -> Discovery:
        resources: list[ServedResource] = []
        failed: list[tuple[str, str]] = []
        legacy: list[tuple[str, str]] = []
        for index, req in enumerate(rq.discovery_requests()):
            doc = self._json(req)
            if is_aggregated(doc):
                served, stale = parse_aggregated(doc)
                resources.extend(served)
                failed.extend((gv.rpartition("/")[0], f"the API server marks {gv} stale in discovery")
                              for gv in stale)
            else:  # an older server: the legacy lists, then one request per group version
                legacy.extend(group_versions(doc, {}) if index == 0 else group_versions({}, doc))
        if legacy:
            with ThreadPoolExecutor(max_workers=8) as pool:
                answers = list(pool.map(lambda gv: self._resource_list(*gv), legacy))
            for (group, _), (served, why) in zip(legacy, answers, strict=True):
                resources.extend(served)
                if why:
                    failed.append((group, why))
        found = Discovery(tuple(resources), tuple(failed))
        if self._cache:
            self._cache.store(self.server, found)
        return found

    def _resource_list(self, group: str, version: str) -> tuple[list[ServedResource], str | None]:
        req = rq.ApiRequest("GET", rq.api_prefix(group, version))
        try:
            resp, doc = self._read(req)
        except failures.ReadFailed as exc:
            return [], str(exc)
        if resp.status >= 400:  # e.g. an aggregated API that is down: note it, as kubectl warns
            log.debug("discovery of %s/%s failed with %d", group, version, resp.status)
            return [], str(failures.status_error(req, resp.status, resp.data))
        return parse_resource_list(group, version, doc if isinstance(doc, dict) else {}), None

    def served_kinds(self) -> set[str]:
        """Kind keys the cluster serves (meshctl's kinds by key, others by Kind); a cached discovery
        that lacks one of meshctl's kinds is refreshed first (it may have been installed since)."""
        return self.discovery_for(KINDS).served_keys()

    def served_resources(self) -> list[tuple[str, str, str, str, bool]]:
        """Every served (group, version, plural, kind, namespaced), from discovery."""
        return [r.as_tuple() for r in self.discovery().resources]

    def needs_discovery(self, key: str) -> bool:
        """Whether finding where ``key`` is served takes discovery (built-ins of one version do not)."""
        info = KINDS.get(key)
        return info is None or len(info.served_versions) != 1 or info.group in ISTIO_GROUPS

    def _target(self, key: str) -> tuple[rq.Target, str, str]:
        """(target, apiVersion, Kind) for a kind key; fixed-version built-ins skip discovery."""
        info = KINDS.get(key)
        if info is not None and not self.needs_discovery(key):
            return known_target(info), info.api_version, info.kind
        served = self.discovery_for((key,)).target_for_key(key)
        if served is None:
            why = self.discovery().failed_reason(key)
            if why:
                raise failures.ReadFailed(f"cannot tell where {key} is served: {why}")
            raise ClusterError(f"the cluster does not serve {key}")
        api_version = f"{served.group}/{served.version}" if served.group else served.version
        return served.target, api_version, served.kind

    def _target_of(self, obj: Mapping[str, Any]) -> rq.Target:
        """Where an object (any kind, from its apiVersion and kind) is served."""
        api_version, kind = str(obj.get("apiVersion") or ""), str(obj.get("kind") or "")
        group, version = group_of(api_version), api_version.rpartition("/")[2]
        info = KINDS.get(kind_key(api_version, kind))
        if info is not None and info.group == group:
            return known_target(info, version)
        served = self.discovery().find_kind(group, kind, version)
        if served is None:
            raise ClusterError(f"the cluster does not serve {kind} in {api_version or 'no apiVersion'}")
        return served.target

    # -- reads ------------------------------------------------------------------------------

    def list(self, key: str, namespace: str | None = None, label_selector: Any = None,
             field_selector: Any = None) -> list[Obj]:
        """Every object of a kind (cluster-wide when ``namespace`` is None), all pages."""
        target, api_version, kind = self._target(key)
        return self._list(target, api_version, kind, namespace, label_selector, field_selector)

    def list_resource(self, group: str, version: str, plural: str, namespace: str | None = None,
                      label_selector: Any = None) -> Objs:
        """LIST by group/version/plural (CRD-backed kinds included; Kind from discovery)."""
        served = self.discovery().find(group, plural, (version,))
        target = served.target if served else rq.Target(group, version, plural, namespace is not None)
        api_version = f"{group}/{version}" if group else version
        return self._list(target, api_version, served.kind if served else "", namespace, label_selector)

    def _list(self, target: rq.Target, api_version: str, kind: str, namespace: str | None,
              label_selector: Any = None, field_selector: Any = None) -> Objs:
        return [item for page in self._pages(target, api_version, kind, namespace, label_selector,
                                             field_selector) for item in page]

    def pages(self, key: str, namespace: str | None = None, label_selector: Any = None,
              field_selector: Any = None) -> Iterator[Objs]:
        """Every object of a kind, one page at a time: the caller keeps what it needs of each page."""
        target, api_version, kind = self._target(key)
        return self._pages(target, api_version, kind, namespace, label_selector, field_selector)

    def _pages(self, target: rq.Target, api_version: str, kind: str, namespace: str | None,
               label_selector: Any = None, field_selector: Any = None) -> Iterator[Objs]:
        """Paginate (limit 500 + continue); on 410 Gone while paging, restart once. Objects already
        given before the restart are not given again (matched by namespace and name)."""
        ns = namespace if target.namespaced else None
        given: set[tuple[str, str]] = set()
        ahead: dict[str, Future[RawResponse]] = {}

        def fetch_next(resp: RawResponse) -> None:
            # Ask for the next page while this one is decoded: the token is read from the body's start.
            token = peek_continue(resp.data) if resp.status < 400 else None
            if token and token not in ahead:
                ahead.clear()
                ahead[token] = self._prefetcher().submit(
                    self._execute, rq.list_request(target, ns, label_selector, field_selector, token))

        for restarted in (False, True):
            token: str | None = None
            while True:
                req = rq.list_request(target, ns, label_selector, field_selector, token)
                fetched = ahead.pop(token, None) if token else None
                ahead.clear()
                resp, doc = self._read(req, fetched.result() if fetched else None, fetch_next)
                if resp.status == 410 and token and not restarted:
                    log.debug("list %s expired while paging; restarting", req.path)
                    break
                if resp.status >= 400:
                    raise failures.status_error(req, resp.status, resp.data)
                if not isinstance(doc, dict):
                    raise failures.bad_body_error(req, 1)
                kind = kind or str(doc.get("kind", "")).removesuffix("List")
                items = [i for i in doc.get("items") or [] if _identity(i) not in given]
                given.update(_identity(i) for i in items)
                if items:
                    yield _fill_type(items, api_version, kind)
                token = (doc.get("metadata") or {}).get("continue") or None
                if not token:
                    return

    def _prefetcher(self) -> ThreadPoolExecutor:
        """Threads that fetch the next page of a LIST ahead of its reader."""
        with self._lock:
            if self._ahead_pool is None:
                self._ahead_pool = ThreadPoolExecutor(max_workers=PREFETCH_THREADS,
                                                      thread_name_prefix="meshctl-page")
            return self._ahead_pool

    def get(self, key: str, name: str, namespace: str | None = None) -> Obj | None:
        """One object, or None when it does not exist."""
        target, _, _ = self._target(key)
        return self._call(rq.get_request(target, name, self._ns(target, namespace)), allow_404=True)

    def get_resource(self, group: str, version: str, plural: str, name: str,
                     namespace: str | None = None) -> Obj | None:
        """One object by group/version/plural, or None when it does not exist."""
        target = rq.Target(group, version, plural, namespace is not None)
        return self._call(rq.get_request(target, name, namespace), allow_404=True)

    def _ns(self, target: rq.Target, namespace: str | None) -> str | None:
        if not target.namespaced:
            return None
        return namespace or self.default_namespace

    # -- writes -----------------------------------------------------------------------------

    def create(self, obj: Obj, dry_run: bool = False) -> Obj:
        """POST a new object (never retried)."""
        target = self._target_of(obj)
        return self._json(rq.create_request(target, obj, self._ns(target, _meta_ns(obj)), dry_run))

    def merge_patch(self, key: str, name: str, patch: Obj, namespace: str | None = None,
                    dry_run: bool = False) -> Obj:
        """JSON merge patch (RFC 7386): fields not in ``patch`` are kept."""
        return self._patch(key, name, patch, rq.MERGE_PATCH, namespace, dry_run)

    def strategic_patch(self, key: str, name: str, patch: Obj, namespace: str | None = None,
                        dry_run: bool = False) -> Obj:
        """Strategic merge patch (built-in kinds): lists merge by their keys."""
        return self._patch(key, name, patch, rq.STRATEGIC_PATCH, namespace, dry_run)

    def _patch(self, key: str, name: str, patch: Obj, content_type: str, namespace: str | None,
               dry_run: bool) -> Obj:
        target, _, _ = self._target(key)
        return self._json(rq.patch_request(target, name, patch, content_type,
                                           self._ns(target, namespace), dry_run))

    def apply(self, obj: Obj, dry_run: bool = False, force: bool = True) -> Obj:
        """Server-side apply as field manager ``meshctl`` (idempotent, so retried)."""
        target = self._target_of(obj)
        return self._json(rq.apply_request(target, obj, self._ns(target, _meta_ns(obj)), dry_run, force))

    def delete(self, key: str, name: str, namespace: str | None = None, dry_run: bool = False) -> bool:
        """Delete one object; False when it did not exist."""
        target, _, _ = self._target(key)
        return self._call(rq.delete_request(target, name, self._ns(target, namespace), dry_run),
                          allow_404=True) is not None

    # -- permissions ------------------------------------------------------------------------

    def can_i(self, verb: str, resource: str, group: str = "", namespace: str | None = None,
              subresource: str | None = None, name: str | None = None) -> bool:
        """Whether the current user may ``verb`` the resource (a SelfSubjectAccessReview)."""
        doc = self._json(rq.access_review_request(verb, resource, group, namespace, subresource, name))
        return bool((doc.get("status") or {}).get("allowed"))


_LIST_START = re.compile(rb'\{(?:"kind":"[A-Za-z0-9]*",)?(?:"apiVersion":"[A-Za-z0-9./]*",)?"metadata":(\{[^{}]*\})')


def peek_continue(data: bytes) -> str | None:
    """The ``continue`` token of a LIST body, read from its start (the API server writes kind,
    apiVersion and metadata before the items), without decoding the rest; None when not found."""
    found = _LIST_START.match(data, 0, 4096)
    if found is None:
        return None
    try:
        meta = json.loads(found.group(1))
    except ValueError:
        return None
    token = meta.get("continue") if isinstance(meta, dict) else None
    return token if isinstance(token, str) and token else None


def _meta_ns(obj: Mapping[str, Any]) -> str | None:
    return (obj.get("metadata") or {}).get("namespace") or None


def _identity(item: Mapping[str, Any]) -> tuple[str, str]:
    meta = item.get("metadata") or {}
    return str(meta.get("namespace") or ""), str(meta.get("name") or "")


def _fill_type(items: list[Obj], api_version: str, kind: str) -> list[Obj]:
    """LIST items come without apiVersion/kind; fill them in (in place, cheaply)."""
    for item in items:
        if "kind" not in item:
            item["kind"] = kind
        if "apiVersion" not in item:
            item["apiVersion"] = api_version
    return items


_CLIENTS: dict[tuple[Any, ...], ClusterClient] = {}
_CLIENTS_LOCK = threading.Lock()


def _cache_key(opts: ClusterOptions) -> tuple[Any, ...]:
    env = tuple(os.environ.get(k) for k in ("KUBECONFIG", "KUBERNETES_SERVICE_HOST", "HOME",
                                            "MESHCTL_CACHE_DIR"))
    return (opts.kubeconfig, opts.context, opts.timeout, env)


def get_client(opts: ClusterOptions) -> ClusterClient:
    """The client for these options (cached: one per command). The deadline starts here."""
    key = _cache_key(opts)
    with _CLIENTS_LOCK:
        client = _CLIENTS.get(key)
        if client is None:
            resolved = resolve(opts.kubeconfig, opts.context)
            client = ClusterClient(resolved, build_api_client(resolved), opts.timeout,
                                   cache=DiscoveryCache(cache_root(os.environ)))
            _CLIENTS[key] = client
        return client


def reset_clients() -> None:
    """Forget cached clients (tests; a new command)."""
    with _CLIENTS_LOCK:
        for client in _CLIENTS.values():
            client.close()
        _CLIENTS.clear()
