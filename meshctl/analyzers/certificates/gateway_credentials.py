"""certificates.GatewayCredentialAnalyzer: gateway TLS credentials that expire, fail to parse or mismatch."""

from __future__ import annotations

from meshctl.analysis.certreport import CERT_CODES, check_pem
from meshctl.analysis.certs import CertError, secret_bytes
from meshctl.analysis.context import Context
from meshctl.analysis.hosts import short_or_full_name
from meshctl.analysis.registry import Analyzer, register
from meshctl.analysis.selectors import LabelIndex
from meshctl.analyzers.gateway.workloads import gateway_selector, selected_pods, servers
from meshctl.resource import Resource

# (certificate key, private key) layouts Istio accepts for gateway credentials.
LAYOUTS = (("tls.crt", "tls.key"), ("cert", "key"))
CA_KEYS = ("ca.crt", "cacert")


@register
class GatewayCredentialAnalyzer(Analyzer):
    """Checks the Secrets named by Gateway credentialName for expiry, parse errors and key pairs."""

    name = "certificates.GatewayCredentialAnalyzer"
    inputs = ("Gateway", "Secret", "Pod")
    codes = CERT_CODES

    def analyze(self, ctx: Context) -> None:
        """Check each referenced credential once."""
        pods = ctx.resources.label_index("Pod")
        checked: set[tuple[str | None, str]] = set()
        for gateway in ctx.resources.of_kind("Gateway"):
            namespaces = _workload_namespaces(gateway, pods)
            for name in _credential_names(gateway):
                secret = next((s for ns in namespaces
                               if (s := ctx.resources.get("Secret", *short_or_full_name(name, ns)))), None)
                if secret is None or (secret.namespace, secret.name) in checked:
                    continue
                checked.add((secret.namespace, secret.name))
                _check_secret(ctx, secret)


def _credential_names(gateway: Resource) -> list[str]:
    names: list[str] = []
    for server in servers(gateway):
        tls = server.get("tls")
        if not isinstance(tls, dict):
            continue
        for name in [tls.get("credentialName"), *(tls.get("credentialNames") or [])]:
            if name and name not in names:
                names.append(str(name))
    return names


def _workload_namespaces(gateway: Resource, pods: LabelIndex) -> list[str | None]:
    """Where the gateway's pods run (their namespace holds the Secret), then the Gateway's own."""
    found = [p.namespace for p in selected_pods(pods, gateway)] if gateway_selector(gateway) else []
    return list(dict.fromkeys([*sorted(n for n in found if n), gateway.namespace]))


def _check_secret(ctx: Context, secret: Resource) -> None:
    what = f"gateway credential {secret.name}"
    try:
        for cert_key, key_key in LAYOUTS:
            pem = secret_bytes(secret.body, cert_key)
            if pem is not None:
                check_pem(ctx, secret, what, f"data.{cert_key}", pem, f"data.{key_key}",
                          secret_bytes(secret.body, key_key))
                break
        for ca_key in CA_KEYS:
            check_pem(ctx, secret, f"{what} CA", f"data.{ca_key}", secret_bytes(secret.body, ca_key))
    except CertError as exc:
        ctx.report("MSH0303", secret, what=what, key="data", detail=str(exc))
