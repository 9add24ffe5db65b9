"""Regenerate the certificate fixtures: python -m tests.analyzers.certgen

Certificates are made here with fixed validity windows; the fixtures' ``now`` header picks
the moment they are judged at, so the results never depend on today's date.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

OUT = Path(__file__).parent / "fixtures" / "certificates"


def make_cert(cn: str, start: str, end: str, ca: bool = False) -> tuple[bytes, bytes]:
    """A self-signed certificate and its key, PEM encoded."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(datetime.fromisoformat(start).replace(tzinfo=UTC))
            .not_valid_after(datetime.fromisoformat(end).replace(tzinfo=UTC))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


def b64(data: bytes) -> str:
    """Secret data encoding."""
    return base64.b64encode(data).decode()


def indent(pem: bytes, spaces: int) -> str:
    """A PEM as an indented YAML block scalar body."""
    return "\n".join(" " * spaces + line for line in pem.decode().strip().splitlines())


def main() -> None:
    """Write the fixture files."""
    OUT.mkdir(parents=True, exist_ok=True)
    root, root_key = make_cert("mesh-root", "2025-01-01", "2035-01-01", ca=True)
    other_root, _ = make_cert("other-root", "2025-01-01", "2035-01-01", ca=True)
    soon, soon_key = make_cert("ca-soon", "2025-01-01", "2026-06-15", ca=True)
    _, wrong_key = make_cert("unrelated", "2025-01-01", "2035-01-01")
    old, old_key = make_cert("shop.example.com", "2024-01-01", "2025-01-01")
    good, good_key = make_cert("shop.example.com", "2025-01-01", "2030-01-01")
    future, future_key = make_cert("late.example.com", "2027-01-01", "2030-01-01")
    header = "kind: AnalyzerCase\napiVersion: meshctl.test/v1\nnow: \"2026-06-01T00:00:00Z\"\n"
    root_cm = ("---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: istio-ca-root-cert, namespace: {ns}}}\n"
               "data:\n  root-cert.pem: |\n{pem}\n")
    (OUT / "certificates.MeshRootCAAnalyzer.fail.yaml").write_text(
        header + "analyzer: certificates.MeshRootCAAnalyzer\nexpected:\n"
        "- {code: MSH0301, resource: Secret istio-system/cacerts}\n"
        "- {code: MSH0304, resource: Secret istio-system/istio-ca-secret}\n"
        "- {code: MSH0303, resource: Secret istio-system/cacerts}\n"
        "- {code: MSH0305, resource: ConfigMap shop/istio-ca-root-cert}\n"
        "---\napiVersion: v1\nkind: Secret\nmetadata: {name: cacerts, namespace: istio-system}\n"
        f"data:\n  ca-cert.pem: {b64(soon)}\n  ca-key.pem: {b64(soon_key)}\n  root-cert.pem: {b64(root)}\n"
        f"  cert-chain.pem: {b64(b'not a certificate')}\n"
        "---\napiVersion: v1\nkind: Secret\nmetadata: {name: istio-ca-secret, namespace: istio-system}\n"
        f"data:\n  ca-cert.pem: {b64(root)}\n  ca-key.pem: {b64(wrong_key)}\n"
        + root_cm.format(ns="istio-system", pem=indent(root, 4))
        + root_cm.format(ns="shop", pem=indent(other_root, 4))
        + root_cm.format(ns="payments", pem=indent(root, 4)))
    (OUT / "certificates.MeshRootCAAnalyzer.pass.yaml").write_text(
        header + "analyzer: certificates.MeshRootCAAnalyzer\nexpected: []\n"
        "---\napiVersion: v1\nkind: Secret\nmetadata: {name: istio-ca-secret, namespace: istio-system}\n"
        f"data:\n  ca-cert.pem: {b64(root)}\n  ca-key.pem: {b64(root_key)}\n"
        + root_cm.format(ns="istio-system", pem=indent(root, 4))
        + root_cm.format(ns="shop", pem=indent(root, 4)))
    gateway = ("---\napiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {{name: {name}, namespace: shop}}\n"
               "spec:\n  selector: {{istio: ingressgateway}}\n  servers:\n  - port: {{number: 443, name: https, "
               "protocol: HTTPS}}\n    hosts: ['*.example.com']\n    tls: {{mode: SIMPLE, credentialName: {cred}}}\n")
    tls_secret = ("---\napiVersion: v1\nkind: Secret\nmetadata: {{name: {name}, namespace: istio-system}}\n"
                  "type: kubernetes.io/tls\ndata:\n  tls.crt: {crt}\n  tls.key: {key}\n")
    (OUT / "certificates.GatewayCredentialAnalyzer.fail.yaml").write_text(
        header + "analyzer: certificates.GatewayCredentialAnalyzer\nexpected:\n"
        "- {code: MSH0302, resource: Secret istio-system/expired}\n"
        "- {code: MSH0302, resource: Secret istio-system/too-early}\n"
        "- {code: MSH0304, resource: Secret istio-system/mismatched}\n"
        + gateway.format(name="a", cred="expired") + gateway.format(name="b", cred="too-early")
        + gateway.format(name="c", cred="mismatched")
        + tls_secret.format(name="expired", crt=b64(old), key=b64(old_key))
        + tls_secret.format(name="too-early", crt=b64(future), key=b64(future_key))
        + tls_secret.format(name="mismatched", crt=b64(good), key=b64(wrong_key)))
    (OUT / "certificates.GatewayCredentialAnalyzer.pass.yaml").write_text(
        header + "analyzer: certificates.GatewayCredentialAnalyzer\nexpected: []\n"
        + gateway.format(name="a", cred="good") + gateway.format(name="b", cred="good")
        + tls_secret.format(name="good", crt=b64(good), key=b64(good_key))
        + tls_secret.format(name="unused", crt=b64(old), key=b64(old_key)))


if __name__ == "__main__":
    main()
