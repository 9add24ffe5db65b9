"""Never print secrets: private keys, passwords and generic secrets in a raw dump become ``[redacted]``."""

from __future__ import annotations

from typing import Any

SECRET_FIELDS = frozenset(
    {
        "private_key",
        "privateKey",
        "password",
        "session_ticket_keys",
        "sessionTicketKeys",
        "hmac_secret",
        "hmacSecret",
        "generic_secret",
        "genericSecret",
        "token_secret",
        "tokenSecret",
        "client_secret",
        "clientSecret",
    }
)
REDACTED = {"inline_string": "[redacted]"}


def redact(node: Any) -> Any:
    """A copy of ``node`` with every secret-bearing field replaced."""
    if isinstance(node, dict):
        return {k: (REDACTED if k in SECRET_FIELDS and v else redact(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [redact(v) for v in node]
    return node
