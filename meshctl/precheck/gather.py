"""Read the cluster once into a PrecheckSnapshot. The only precheck module that talks to a client.

Reads that fail are recorded in ``unreadable``: a 403 is a limit of access (IST0141 reports it);
any other failure (5xx after retries, 410 on every continue, broken bodies) is also recorded in
``failed``, and the checks that need it did not run (exit 1 unless ``--allow-partial``). Only an
unreachable API server, which fails ``/version``, stops the run.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from meshctl.cluster.failures import AccessDenied
from meshctl.conventions import labels
from meshctl.errors import ClusterError
from meshctl.kinds import lookup
from meshctl.precheck.model import Permission, PrecheckRequest, PrecheckSnapshot
from meshctl.precheck.permissions import CNI_NAMESPACES, required_permissions
from meshctl.precheck.profiles import NEEDS_CNI
from meshctl.resource import Origin, Resource

INJECTION_LABEL = labels.INJECTION
REVISION_LABEL = labels.REVISION


def kubectl_version() -> str | None:
    """kubectl's client gitVersion, or None when kubectl is not on PATH (the skew check is skipped)."""
    import json

    path = shutil.which("kubectl")
    if path is None:
        return None
    try:
        out = subprocess.run([path, "version", "--client", "-o", "json"], capture_output=True,
                             text=True, timeout=5, check=False).stdout
        return str(json.loads(out)["clientVersion"]["gitVersion"])
    except (OSError, subprocess.SubprocessError, ValueError, KeyError, TypeError):
        return None


def _resources(items: list[dict[str, Any]], cluster: str) -> tuple[Resource, ...]:
    origin = Origin(cluster=cluster)
    return tuple(Resource.from_dict(item, origin) for item in items)


class _Reader:
    """Collects lists by kind key; a ClusterError becomes an ``unreadable`` entry."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.objects: dict[str, list[Resource]] = {}
        self.unreadable: dict[str, str] = {}
        self.errors: dict[str, str] = {}
        self.failed: list[tuple[str, str | None]] = []

    def read(self, key: str, namespace: str | None = None) -> None:
        try:
            items = self.client.list(key, namespace=namespace)
        except ClusterError as exc:
            self.unreadable.setdefault(key, str(exc))
            self.failed.append((key, namespace))
            if not isinstance(exc, AccessDenied):  # not a limit of access: the checks did not run
                self.errors.setdefault(key, str(exc))
            return
        self.objects.setdefault(key, []).extend(_resources(items, self.client.context_name))


def _ask(client: Any, perm: Permission) -> bool:
    return bool(client.can_i(perm.verb, perm.resource, group=perm.group, namespace=perm.namespace))


def check_access(client: Any, perms: list[Permission]) -> tuple[dict[Permission, bool], str | None]:
    """SSAR answers for each permission (8 in flight), or the error that stopped all of them."""
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(lambda p: _ask(client, p), perms))
    except ClusterError as exc:
        return {}, str(exc)
    return dict(zip(perms, answers, strict=True)), None


def _injected_namespaces(namespaces: list[Resource]) -> list[str]:
    return sorted(ns.name for ns in namespaces
                  if ns.labels.get(INJECTION_LABEL) == "enabled"
                  or (REVISION_LABEL in ns.labels and ns.labels.get(INJECTION_LABEL) != "disabled"))


def _webhook_namespaces(webhooks: list[Resource]) -> set[str]:
    out: set[str] = set()
    for config in webhooks:
        for hook in config.body.get("webhooks") or []:
            service = (hook.get("clientConfig") or {}).get("service") or {}
            if service.get("namespace"):
                out.add(str(service["namespace"]))
    return out


def _read_all(reader: _Reader, istio_ns: str, kinds: set[str]) -> None:
    """List each needed kind once, in the namespaces precheck looks at."""
    for key in ("Namespace", "Node", "CustomResourceDefinition", "MutatingWebhookConfiguration",
                "ValidatingWebhookConfiguration"):
        if key in kinds:
            reader.read(key)
    for key in ("Deployment", "Pod", "Service"):
        if key in kinds:
            reader.read(key, istio_ns)
    if "DaemonSet" in kinds:
        for ns in CNI_NAMESPACES:
            reader.read("DaemonSet", ns)
    if "Pod" in kinds:
        for ns in _injected_namespaces(reader.objects.get("Namespace", [])):
            if ns != istio_ns:
                reader.read("Pod", ns)
    if "Service" in kinds:
        hooks = [*reader.objects.get("MutatingWebhookConfiguration", []),
                 *reader.objects.get("ValidatingWebhookConfiguration", [])]
        for ns in sorted(_webhook_namespaces(hooks) - {istio_ns}):
            reader.read("Service", ns)


def _explained(failed: list[tuple[str, str | None]], access: dict[Permission, bool]) -> frozenset[str]:
    """Kind keys whose every failed list was denied by SSAR (so IST0141 already names them)."""
    by_key: dict[str, bool] = {}
    for key, namespace in failed:
        info = lookup(key)
        denied = info is not None and access.get(Permission("list", info.plural, info.group, namespace)) is False
        by_key[key] = by_key.get(key, True) and denied
    return frozenset(k for k, ok in by_key.items() if ok)


def _server_date(client: Any) -> datetime | None:
    probe: Callable[[], datetime | None] | None = getattr(client, "server_date", None)
    if probe is None:
        return None
    try:
        return probe()
    except ClusterError:
        return None


ALL_KINDS = frozenset({"Namespace", "Node", "CustomResourceDefinition", "MutatingWebhookConfiguration",
                       "ValidatingWebhookConfiguration", "Deployment", "Pod", "Service", "DaemonSet"})


def gather(client: Any, request: PrecheckRequest, kinds: frozenset[str] = ALL_KINDS,
           ask_access: bool = True) -> PrecheckSnapshot:
    """What the selected checks read, in one pass: ``kinds`` listed, SSARs asked when ``ask_access``.

    Pods are listed in the Istio namespace and in every namespace labelled for injection (which
    needs the Namespace list too).
    """
    version = client.server_version()
    access, access_error = (check_access(client, required_permissions(request)) if ask_access
                            else ({}, None))
    reader = _Reader(client)
    wanted = set(kinds) | ({"Namespace"} if "Pod" in kinds else set())
    if request.profile not in NEEDS_CNI:
        wanted.discard("DaemonSet")
    _read_all(reader, request.istio_namespace, wanted)
    return PrecheckSnapshot(
        now=request.clock(), server_version=version, client_version=request.client_version(),
        server_date=_server_date(client),
        objects={k: tuple(v) for k, v in reader.objects.items()},
        unreadable=dict(reader.unreadable), explained=_explained(reader.failed, access),
        access=access, access_error=access_error, failed=dict(reader.errors),
    )
