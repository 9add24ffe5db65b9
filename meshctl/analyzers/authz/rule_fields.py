"""Walking AuthorizationPolicy rules: sources, operations and conditions, with their paths."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from meshctl.resource import Resource

#: Source fields that are only known with mTLS (the peer's certificate).
MTLS_SOURCE_FIELDS = ("principals", "notPrincipals", "namespaces", "notNamespaces")
#: Condition keys that are only known with mTLS.
MTLS_CONDITION_KEYS = frozenset({"source.principal", "source.namespace", "connection.sni"})


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def source_values(policy: Resource, fields: tuple[str, ...]) -> Iterator[tuple[str, str, str]]:
    """(path, field, value) of every from.source entry of the given fields."""
    for i, rule in enumerate(_dicts(policy.spec.get("rules"))):
        for j, frm in enumerate(_dicts(rule.get("from"))):
            source = frm.get("source") or {}
            for field in fields:
                for k, value in enumerate(source.get(field) or []):
                    yield f"spec.rules[{i}].from[{j}].source.{field}[{k}]", field, str(value)


def operation_values(policy: Resource, fields: tuple[str, ...]) -> Iterator[tuple[str, str, str]]:
    """(path, field, value) of every to.operation entry of the given fields."""
    for i, rule in enumerate(_dicts(policy.spec.get("rules"))):
        for j, to in enumerate(_dicts(rule.get("to"))):
            operation = to.get("operation") or {}
            for field in fields:
                for k, value in enumerate(operation.get(field) or []):
                    yield f"spec.rules[{i}].to[{j}].operation.{field}[{k}]", field, str(value)


def condition_keys(policy: Resource) -> Iterator[tuple[str, str]]:
    """(path, key) of every ``when`` condition."""
    for i, rule in enumerate(_dicts(policy.spec.get("rules"))):
        for j, cond in enumerate(_dicts(rule.get("when"))):
            yield f"spec.rules[{i}].when[{j}].key", str(cond.get("key", ""))
