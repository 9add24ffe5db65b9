"""Gateway API references: parentRefs, backendRefs, listeners and ReferenceGrants (shared helpers)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from meshctl.analysis.selectors import label_selector_matches
from meshctl.resource import Resource

GATEWAY_GROUP = "gateway.networking.k8s.io"
ROUTE_KINDS = ("HTTPRoute", "GRPCRoute")
CORE_GROUPS = ("", "core")
#: The route kinds a listener accepts by default, by protocol (other protocols: not checked).
DEFAULT_KINDS = {"HTTP": {"HTTPRoute", "GRPCRoute"}, "HTTPS": {"HTTPRoute", "GRPCRoute"},
                 "TLS": {"TLSRoute", "TCPRoute"}, "TCP": {"TCPRoute"}, "UDP": {"UDPRoute"}}
NAME_LABEL = "kubernetes.io/metadata.name"
GATEWAY_NAME_LABEL = "gateway.networking.k8s.io/gateway-name"


def deployed_gateways(pods: Iterable[Resource]) -> set[tuple[str, str]]:
    """(namespace, name) of the Gateways whose proxy pods exist: evidence that the Gateway exists even when
    the input does not hold it (a partial snapshot)."""
    return {(pod.namespace or "", str(pod.labels[GATEWAY_NAME_LABEL])) for pod in pods
            if GATEWAY_NAME_LABEL in pod.labels}


def dicts(value: Any) -> list[dict[str, Any]]:
    """The mapping items of a list (anything else: empty)."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


@dataclass(frozen=True)
class BackendRef:
    """One backendRef of a route, with the path it was found at."""

    path: str
    group: str
    kind: str
    namespace: str
    name: str
    port: int | None


def backend_refs(route: Resource) -> Iterator[BackendRef]:
    """Every backendRef of a route: rule backends and request mirror filters."""
    for i, rule in enumerate(dicts(route.spec.get("rules"))):
        found = [(f"spec.rules[{i}].backendRefs[{j}]", ref) for j, ref in enumerate(dicts(rule.get("backendRefs")))]
        for j, flt in enumerate(dicts(rule.get("filters"))):
            mirror = (flt.get("requestMirror") or {}).get("backendRef")
            if isinstance(mirror, dict):
                found.append((f"spec.rules[{i}].filters[{j}].requestMirror.backendRef", mirror))
        for path, ref in found:
            port = ref.get("port")
            yield BackendRef(path, str(ref.get("group", "")), str(ref.get("kind", "Service")),
                             str(ref.get("namespace") or route.namespace or ""), str(ref.get("name", "")),
                             port if isinstance(port, int) else None)


def is_service(group: str, kind: str) -> bool:
    """Whether a reference names a core Service."""
    return kind == "Service" and group in CORE_GROUPS


def namespace_labels(name: str, namespace: Resource | None) -> dict[str, str]:
    """A namespace's labels, with the name label Kubernetes sets on every namespace."""
    return {**(namespace.labels if namespace else {}), NAME_LABEL: name}


def listener_admits_namespace(listener: dict[str, Any], gateway: Resource, route_ns: str,
                              namespace: Resource | None) -> bool | None:
    """Whether a listener's allowedRoutes.namespaces admits routes from ``route_ns`` (None: unknown)."""
    allowed = (listener.get("allowedRoutes") or {}).get("namespaces") or {}
    source = str(allowed.get("from") or "Same")
    if source == "All":
        return True
    if source == "Same":
        return route_ns == (gateway.namespace or "")
    if source == "Selector":
        selector = allowed.get("selector") or {}
        labels = namespace_labels(route_ns, namespace)
        if namespace is None and not label_selector_matches(selector, labels):
            return None
        return label_selector_matches(selector, labels)
    return None


def listener_admits_kind(listener: dict[str, Any], kind: str) -> bool:
    """Whether a listener accepts a route kind (allowedRoutes.kinds, else its protocol's default)."""
    kinds = dicts((listener.get("allowedRoutes") or {}).get("kinds"))
    if kinds:
        return any(k.get("kind") == kind and str(k.get("group", GATEWAY_GROUP)) == GATEWAY_GROUP for k in kinds)
    defaults = DEFAULT_KINDS.get(str(listener.get("protocol", "")).upper())
    return defaults is None or kind in defaults


def grant_allows(grants: Iterable[Resource], from_group: str, from_kind: str, from_ns: str,
                 to_group: str, to_kind: str, to_name: str) -> bool:
    """Whether one of the ReferenceGrants of the target namespace allows the reference."""
    for grant in grants:
        sources = dicts(grant.spec.get("from"))
        targets = dicts(grant.spec.get("to"))
        if not any(str(f.get("group", "")) == from_group and f.get("kind") == from_kind and
                   str(f.get("namespace", "")) == from_ns for f in sources):
            continue
        for target in targets:
            if _group(str(target.get("group", ""))) == _group(to_group) and target.get("kind") == to_kind \
                    and target.get("name") in (None, "", to_name):
                return True
    return False


def _group(group: str) -> str:
    return "" if group in CORE_GROUPS else group
