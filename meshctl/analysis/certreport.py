"""Turn certificate problems into messages, one place for every certificate analyzer."""

from __future__ import annotations

from meshctl.analysis.certs import CertError, CertInfo, date_text, key_matches, parse_certificates, validity
from meshctl.analysis.context import Context
from meshctl.resource import Resource

CERT_CODES = ("MSH0301", "MSH0302", "MSH0303", "MSH0304")


def check_pem(ctx: Context, res: Resource, what: str, key: str, pem: bytes | None,
              key_name: str | None = None, key_pem: bytes | None = None) -> list[CertInfo]:
    """Report validity, parse and key-pair problems of one PEM value; return its certificates."""
    if pem is None:
        return []
    try:
        certs = parse_certificates(pem)
    except CertError as exc:
        ctx.report("MSH0303", res, path=key, what=what, key=key, detail=str(exc))
        return []
    for cert in certs:
        report_validity(ctx, res, what, key, cert)
    if key_pem is not None and key_name:
        try:
            if not key_matches(certs[0], key_pem):
                ctx.report("MSH0304", res, path=key_name, what=what, key=key_name, subject=certs[0].subject)
        except CertError as exc:
            ctx.report("MSH0303", res, path=key_name, what=what, key=key_name, detail=str(exc))
    return certs


def report_validity(ctx: Context, res: Resource, what: str, key: str, cert: CertInfo) -> None:
    """MSH0302 for expired or not-yet-valid certificates, MSH0301 inside the horizon."""
    state = validity(cert, ctx.now(), ctx.env.cert_horizon)
    params = {"what": what, "subject": cert.subject, "serial": cert.serial, "not_after": date_text(cert.not_after)}
    if state.state in ("expired", "not yet valid"):
        ctx.report("MSH0302", res, path=key, state=state.state, not_before=date_text(cert.not_before), **params)
    elif state.state == "expiring":
        ctx.report("MSH0301", res, path=key, days=state.days_left, **params)
