"""What makes a resource L7 configuration, and what it is bound to (for the ambient L7 analyzer)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from meshctl.resource import Resource

#: AuthorizationPolicy ``when`` keys ztunnel can evaluate; every other key needs the HTTP request.
L4_CONDITION_KEYS = frozenset({"source.ip", "remote.ip", "source.namespace", "source.principal",
                               "destination.ip", "destination.port"})
HTTP_OPERATION_FIELDS = ("methods", "notMethods", "paths", "notPaths", "hosts", "notHosts")
REQUEST_SOURCE_FIELDS = ("requestPrincipals", "notRequestPrincipals")
POLICY_KINDS = ("AuthorizationPolicy", "RequestAuthentication", "Telemetry", "WasmPlugin")
ROUTE_KINDS = ("HTTPRoute", "GRPCRoute")


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value or [] if isinstance(v, dict)] if isinstance(value, list) else []


def authorization_l7_fields(spec: dict[str, Any]) -> list[str]:
    """The fields of an AuthorizationPolicy's rules that only an HTTP proxy can evaluate."""
    found: set[str] = set()
    for rule in _dicts(spec.get("rules")):
        for frm in _dicts(rule.get("from")):
            source = frm.get("source") or {}
            found.update(f"from.source.{f}" for f in REQUEST_SOURCE_FIELDS if source.get(f))
        for to in _dicts(rule.get("to")):
            operation = to.get("operation") or {}
            found.update(f"to.operation.{f}" for f in HTTP_OPERATION_FIELDS if operation.get(f))
        for cond in _dicts(rule.get("when")):
            key = str(cond.get("key", ""))
            if key and key not in L4_CONDITION_KEYS:
                found.add(f"when {key}")
    return sorted(found)


def _traffic_policy_l7(policy: Any) -> list[str]:
    if not isinstance(policy, dict):
        return []
    found = []
    if (policy.get("connectionPool") or {}).get("http"):
        found.append("connectionPool.http")
    for field in ("loadBalancer", "outlierDetection", "retryBudget"):
        if policy.get(field):
            found.append(field)
    for setting in _dicts(policy.get("portLevelSettings")):
        found.extend(f"portLevelSettings {f}" for f in _traffic_policy_l7(setting))
    return found


def destination_rule_l7_fields(spec: dict[str, Any]) -> list[str]:
    """The L7 settings of a DestinationRule (HTTP pools, load balancing, outlier detection, subsets)."""
    found = _traffic_policy_l7(spec.get("trafficPolicy"))
    if _dicts(spec.get("subsets")):
        found.append("subsets")
    return sorted(set(found))


def l7_content(res: Resource) -> str | None:
    """A short description of the L7 configuration a resource carries, or None when it has none."""
    spec = res.spec
    if res.key == "AuthorizationPolicy":
        if str(spec.get("action", "ALLOW")).upper() == "CUSTOM":
            return None
        fields = authorization_l7_fields(spec)
        return f"HTTP authorization rules ({', '.join(fields)})" if fields else None
    if res.key == "RequestAuthentication":
        return "JWT authentication" if spec.get("jwtRules") else None
    if res.key == "WasmPlugin":
        return "a Wasm filter"
    if res.key == "Telemetry":
        parts = [f for f in ("tracing", "metrics", "accessLogging") if spec.get(f)]
        return f"proxy telemetry ({', '.join(parts)})" if parts else None
    if res.key == "VirtualService":
        parts = [f for f in ("http", "tls", "tcp") if spec.get(f)]
        return f"routing rules ({', '.join(parts)})" if parts else None
    if res.key == "DestinationRule":
        fields = destination_rule_l7_fields(spec)
        return f"traffic policy ({', '.join(fields)})" if fields else None
    if res.key in ROUTE_KINDS:
        return f"{res.kind} routing"
    return None


def target_refs(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """``targetRefs`` plus the older single ``targetRef``."""
    refs = _dicts(spec.get("targetRefs"))
    if isinstance(spec.get("targetRef"), dict):
        refs.append(spec["targetRef"])
    return refs


def service_refs(res: Resource) -> Iterator[tuple[str, str, str]]:
    """(kind, namespace, name) of the Services and ServiceEntries a policy's targetRefs or a route's
    Service parentRefs name."""
    if res.key in ROUTE_KINDS:
        refs = [(r, "Service") for r in _dicts(res.spec.get("parentRefs")) if r.get("kind") == "Service"
                and str(r.get("group", "")) in ("", "core")]
    else:
        refs = [(r, str(r.get("kind", ""))) for r in target_refs(res.spec)]
    for ref, kind in refs:
        if kind in ("Service", "ServiceEntry"):
            yield kind, str(ref.get("namespace") or res.namespace or ""), str(ref.get("name", ""))
