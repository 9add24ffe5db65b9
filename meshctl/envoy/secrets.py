"""Secret rows: certificate metadata only (never key material), validity against a clock."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

from meshctl.envoy.dump import ConfigDump, Entry
from meshctl.envoy.fields import field
from meshctl.envoy.tables import Row
from meshctl.envoy.versions import rfc3339

COLUMNS = (
    ("RESOURCE NAME", "name"),
    ("TYPE", "type"),
    ("STATUS", "status"),
    ("VALID CERT", "validCert"),
    ("SERIAL NUMBER", "serial"),
    ("NOT AFTER", "notAfter"),
    ("NOT BEFORE", "notBefore"),
)
_STATUS = {"dynamic": "ACTIVE", "warming": "WARMING", "static": "STATIC"}


def _data_source_pem(source: Any) -> bytes | None:
    """PEM bytes of an inline DataSource (``inline_bytes`` is base64 in JSON); None for files or SDS."""
    inline = field(source, "inline_bytes")
    if isinstance(inline, str):
        try:
            return base64.b64decode(inline)
        except ValueError:
            return None
    text = field(source, "inline_string")
    return text.encode() if isinstance(text, str) else None


def _certificate_source(secret: dict[str, Any]) -> tuple[str, Any]:
    tls = field(secret, "tls_certificate")
    if tls is not None:
        return "Cert Chain", field(tls, "certificate_chain")
    validation = field(secret, "validation_context")
    if validation is not None:
        return "CA", field(validation, "trusted_ca")
    return "", None


def _first_cert(pem: bytes) -> Any:
    from cryptography import x509

    try:
        return x509.load_pem_x509_certificates(pem)[0]
    except (ValueError, IndexError):
        try:
            return x509.load_der_x509_certificate(pem)
        except ValueError:
            return None


def _serial_hex(serial: int) -> str:
    """The serial as Istio prints it: hex padded to 32 digits (``%032x``)."""
    return f"{serial:032x}"


def secret_row(entry: Entry, now: datetime, prefixed: bool = False) -> Row:
    """Name, type, status and the first certificate's validity, serial and dates."""
    kind, source = _certificate_source(entry.resource)
    pem = _data_source_pem(source) if source is not None else None
    cert = _first_cert(pem) if pem else None
    name = entry.name or str(field(entry.resource, "name", ""))
    row: Row = {
        "name": f"secret/{name}" if prefixed else name,
        "type": kind,
        "status": _STATUS.get(entry.state, entry.state.upper()),
    }
    if cert is not None:
        not_before, not_after = cert.not_valid_before_utc, cert.not_valid_after_utc
        row.update(
            validCert=not_before < now < not_after,
            serial=_serial_hex(cert.serial_number),
            notAfter=rfc3339(not_after),
            notBefore=rfc3339(not_before),
        )
    else:
        row.update(validCert=False, serial="", notAfter="", notBefore="")
    if entry.version is not None:
        row["versionInfo"] = entry.version.raw
    return row


def secret_rows(dump: ConfigDump, now: datetime, prefixed: bool = False) -> list[Row]:
    """Rows in dump order: static, active, warming."""
    return [secret_row(e, now, prefixed) for e in dump.entries("secrets")]
