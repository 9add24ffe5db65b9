"""Reading a gateway's TLS Secret: which keys hold the certificate, and whether it is usable now.

Only the certificate is parsed; key material is never decoded into messages.
"""

from __future__ import annotations

import base64
import binascii
import warnings
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from meshctl.resource import Resource

if TYPE_CHECKING:
    from cryptography import x509

KEY_PAIRS = (("cert", "key"), ("tls.crt", "tls.key"))
PEM_BEGIN = b"-----BEGIN "


def _decoded(secret: Resource, key: str) -> bytes:
    data = secret.body.get("data") or {}
    value = data.get(key) if isinstance(data, dict) else None
    if not value:
        return b""
    try:
        return base64.b64decode(str(value), validate=False)
    except (binascii.Error, ValueError):
        return b""


def certificate_bytes(secret: Resource) -> bytes | None:
    """The certificate PEM from ``cert``/``key`` or ``tls.crt``/``tls.key``; None if neither pair is set."""
    for cert_key, key_key in KEY_PAIRS:
        cert = _decoded(secret, cert_key)
        if cert and _decoded(secret, key_key):
            return cert
    return None


def _not_after(cert: x509.Certificate) -> datetime:
    return cert.not_valid_after_utc


def _not_before(cert: x509.Certificate) -> datetime:
    return cert.not_valid_before_utc


def credential_problem(secret: Resource, now: datetime) -> str:
    """Why a TLS Secret cannot serve a gateway, or empty when it can."""
    pem = certificate_bytes(secret)
    if pem is None:
        return "no non-empty cert/key or tls.crt/tls.key pair"
    start = pem.find(PEM_BEGIN)
    if start < 0:
        return "the certificate is not PEM encoded"
    from cryptography import x509  # imported here: only runs when a gateway has a credential

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # old certificates (e.g. negative serials) still parse
            cert = x509.load_pem_x509_certificate(pem[start:])
    except ValueError:
        return "the certificate cannot be parsed"
    now = now if now.tzinfo else now.replace(tzinfo=UTC)
    if now > _not_after(cert):
        return f"the certificate expired at {_not_after(cert).isoformat()}"
    if now < _not_before(cert):
        return f"the certificate is not valid before {_not_before(cert).isoformat()}"
    return ""
