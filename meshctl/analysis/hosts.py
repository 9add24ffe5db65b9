"""Host names as Istio resolves them: FQDNs, wildcards, exportTo scopes, and a host index.

Shared by the analyzers. Namespaces may be ``None`` (resources read from files
without ``metadata.namespace``); they are treated as the empty namespace, as istioctl does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from meshctl.conventions.hosts import hosts_overlap
from meshctl.resource import Resource

DEFAULT_DOMAIN = "cluster.local"
EXPORT_ALL = "*"
EXPORT_LOCAL = "."
MESH_GATEWAY = "mesh"
EXPORT_TO_ANNOTATION = "networking.istio.io/exportTo"


def cluster_domain(mesh_config: dict[str, Any]) -> str:
    """The cluster DNS domain: meshConfig ``clusterDomain`` if set, else ``cluster.local``."""
    return str(mesh_config.get("clusterDomain") or DEFAULT_DOMAIN)


def ns_str(namespace: str | None) -> str:
    """A namespace as a string (``""`` for none)."""
    return namespace or ""


def is_short_name(host: str) -> bool:
    """Whether ``host`` is a bare service name (no dot, not a wildcard)."""
    return not host.startswith("*") and "." not in host


def to_fqdn(host: str, namespace: str | None, domain: str = DEFAULT_DOMAIN) -> str:
    """``name`` -> ``name.<ns>.svc.<domain>``; FQDNs and wildcards are returned unchanged."""
    if is_short_name(host):
        return f"{host}.{ns_str(namespace)}.svc.{domain}"
    return host


@cache
def _service_host(domain: str) -> re.Pattern[str]:
    return re.compile(rf"^(.+)\.(.+)\.svc\.{re.escape(domain)}$")


def split_fqdn(fqdn: str, domain: str = DEFAULT_DOMAIN) -> tuple[str, str] | None:
    """``(namespace, name)`` of a ``name.ns.svc.<domain>`` host, or None for other hosts."""
    match = _service_host(domain).match(fqdn)
    if not match:
        return None
    return match.group(2), match.group(1)


def resource_name_for_host(host: str, namespace: str | None,
                           domain: str = DEFAULT_DOMAIN) -> tuple[str, str]:
    """``(namespace, name)`` a host refers to: parsed from an FQDN, else ``host`` in ``namespace``."""
    parsed = split_fqdn(host, domain)
    return parsed if parsed else (ns_str(namespace), host)


def short_or_full_name(ref: str, namespace: str | None) -> tuple[str | None, str]:
    """A ``ns/name`` or ``name`` reference as ``(namespace, name)``; ``name`` is in ``namespace``."""
    if "/" in ref:
        ns, _, name = ref.partition("/")
        return ns or None, name
    return namespace, ref


#: Whether two host names (possibly wildcards) overlap: the one rule, kept under its old name here.
host_matches = hosts_overlap


def names_for_namespace(hosts: Iterable[str], namespace: str | None) -> list[str]:
    """Hosts visible from ``namespace``: ``ns/host`` kept when ns is that namespace or ``*``."""
    out = []
    for host in hosts:
        if "/" in host:
            scope, _, name = host.partition("/")
            if scope not in (ns_str(namespace), "*"):
                continue
            host = name
        out.append(host)
    return out


def export_scopes(export_to: Sequence[str] | None, namespace: str | None) -> set[str]:
    """The namespaces an ``exportTo`` list reaches: ``{"*"}`` when empty or containing ``*``."""
    if not export_to or EXPORT_ALL in export_to:
        return {EXPORT_ALL}
    return {ns_str(namespace) if e == EXPORT_LOCAL else e for e in export_to}


@dataclass(frozen=True)
class HostEntry:
    """A ServiceEntry, or a Service seen as one: its ports and workload selector."""

    resource: Resource
    ports: tuple[int, ...]
    workload_labels: dict[str, str] = field(default_factory=dict, hash=False, compare=False)


def _port_numbers(ports: Any) -> tuple[int, ...]:
    out = []
    for port in ports or []:
        if isinstance(port, dict):
            try:
                out.append(int(port.get("number", port.get("port", 0)) or 0))
            except (TypeError, ValueError):
                out.append(0)
    return tuple(out)


class HostIndex:
    """ServiceEntry and Service hosts by (scope, FQDN), for destination lookups.

    A lookup from a namespace checks hosts exported to all namespaces, then hosts
    exported to the namespaces in the referrer's ``exportTo``, then wildcard hosts.
    """

    def __init__(self, service_entries: Iterable[Resource], services: Iterable[Resource],
                 domain: str = DEFAULT_DOMAIN) -> None:
        self.domain = domain
        self._exact: dict[tuple[str, str], HostEntry] = {}
        self._wild: list[tuple[str, str, HostEntry]] = []
        for se in service_entries:
            self._add_service_entry(se)
        for svc in services:
            self._add_service(svc)

    def _put(self, scope: str, fqdn: str, entry: HostEntry) -> None:
        self._exact[(scope, fqdn)] = entry
        if fqdn.startswith("*"):
            self._wild.append((scope, fqdn, entry))

    def _add_service_entry(self, se: Resource) -> None:
        spec = se.spec
        selector = (spec.get("workloadSelector") or {}).get("labels") or {}
        entry = HostEntry(se, _port_numbers(spec.get("ports")), dict(selector))
        scopes = export_scopes(spec.get("exportTo"), se.namespace)
        for host in spec.get("hosts") or []:
            for scope in scopes:
                self._put(scope, to_fqdn(str(host), se.namespace, self.domain), entry)

    def _add_service(self, svc: Resource) -> None:
        entry = HostEntry(svc, _port_numbers(svc.spec.get("ports")))
        fqdn = to_fqdn(svc.name, svc.namespace, self.domain)
        annotation = svc.annotations.get(EXPORT_TO_ANNOTATION, "")
        scopes = [EXPORT_ALL] if not annotation else [
            ns_str(svc.namespace) if s == EXPORT_LOCAL else s for s in annotation.split(",")]
        for scope in scopes:
            self._put(scope, fqdn, entry)

    def lookup(self, namespace: str | None, export_to: Sequence[str] | None,
               host: str) -> HostEntry | None:
        """The entry a destination ``host`` in ``namespace`` resolves to, or None."""
        fqdn = to_fqdn(host, namespace, self.domain)
        found = self._exact.get((EXPORT_ALL, fqdn))
        if found:
            return found
        for scope in export_to or [EXPORT_LOCAL]:
            scope = ns_str(namespace) if scope == EXPORT_LOCAL else scope
            found = self._exact.get((scope, fqdn))
            if found:
                return found
        bare = host[1:] if host.startswith("*") else host
        for scope, wild, entry in self._wild:
            if scope in (EXPORT_ALL, ns_str(namespace)) and bare.endswith(wild[1:]):
                return entry
        return None
