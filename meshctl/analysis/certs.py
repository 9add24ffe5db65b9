"""Certificate checks shared by analyzers: parse PEM data, validity against a clock, key pairs.

Only metadata (subject, serial, dates) ever leaves this module; key material never does.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any


@dataclass(frozen=True)
class CertInfo:
    """What may be shown about a certificate."""

    subject: str
    serial: str
    not_before: datetime
    not_after: datetime
    public_key_der: bytes


class CertError(ValueError):
    """The data is not a usable certificate or key."""


def secret_bytes(secret_body: dict[str, Any], key: str) -> bytes | None:
    """A Secret's value for ``key`` (``data`` is base64, ``stringData`` plain), or None."""
    string_data = secret_body.get("stringData") or {}
    if key in string_data:
        return str(string_data[key]).encode()
    data = secret_body.get("data") or {}
    if key not in data:
        return None
    try:
        return base64.b64decode(str(data[key] or ""), validate=False)
    except (binascii.Error, ValueError) as exc:
        raise CertError("not valid base64") from exc


def parse_certificates(pem: bytes) -> list[CertInfo]:
    """Every certificate in a PEM bundle, leaf first."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    if not pem or b"-----BEGIN CERTIFICATE-----" not in pem:
        raise CertError("no PEM certificate found")
    try:
        certs = x509.load_pem_x509_certificates(pem)
    except ValueError as exc:
        raise CertError(str(exc).split("\n")[0] or "malformed certificate") from exc
    return [CertInfo(subject=_subject(c), serial=format(c.serial_number, "x"),
                     not_before=c.not_valid_before_utc, not_after=c.not_valid_after_utc,
                     public_key_der=c.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo))
            for c in certs]


def _subject(cert: Any) -> str:
    from cryptography.x509.oid import NameOID

    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    if names:
        return str(names[0].value)
    return cert.subject.rfc4514_string() or "(no subject)"


def key_matches(cert: CertInfo, key_pem: bytes) -> bool:
    """Whether a PEM private key is the pair of the certificate's public key."""
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        PublicFormat,
        load_pem_private_key,
    )

    try:
        key = load_pem_private_key(key_pem, password=None)
    except (ValueError, TypeError) as exc:
        raise CertError("private key cannot be parsed") from exc
    public = key.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return public == cert.public_key_der


@dataclass(frozen=True)
class Validity:
    """A certificate's standing at a given time: ok, expiring, expired or not yet valid."""

    state: str
    days_left: int


def validity(cert: CertInfo, now: datetime, horizon: timedelta) -> Validity:
    """Classify a certificate against ``now`` and the warning horizon."""
    days = int((cert.not_after - now).total_seconds() // 86400)
    if now < cert.not_before:
        return Validity("not yet valid", days)
    if now >= cert.not_after:
        return Validity("expired", days)
    if cert.not_after - now <= horizon:
        return Validity("expiring", days)
    return Validity("ok", days)


def date_text(moment: datetime) -> str:
    """An ISO 8601 UTC date-time for messages."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
