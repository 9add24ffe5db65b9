"""certificates.MeshRootCAAnalyzer: the mesh CA's certificates and the root each namespace trusts."""

from __future__ import annotations

from collections import Counter

from meshctl.analysis.certreport import CERT_CODES, check_pem
from meshctl.analysis.certs import CertError, secret_bytes
from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register
from meshctl.resource import Resource

ROOT_CONFIGMAP = "istio-ca-root-cert"
ROOT_KEY = "root-cert.pem"
# Secret name -> (certificate key, its private key or None) pairs to check.
CA_SECRETS = {
    "cacerts": (("ca-cert.pem", "ca-key.pem"), ("root-cert.pem", None), ("cert-chain.pem", None)),
    "istio-ca-secret": (("ca-cert.pem", "ca-key.pem"),),
}


@register
class MeshRootCAAnalyzer(Analyzer):
    """Checks the mesh CA Secrets and istio-ca-root-cert ConfigMaps for expiry, parse errors and drift."""

    name = "certificates.MeshRootCAAnalyzer"
    inputs = ("ConfigMap", "Secret")
    codes = (*CERT_CODES, "MSH0305")

    def analyze(self, ctx: Context) -> None:
        """Check the CA Secrets, then every namespace's root certificate."""
        for name, pairs in CA_SECRETS.items():
            secret = ctx.resources.get("Secret", ctx.env.istio_namespace, name)
            if secret is not None:
                self._secret(ctx, secret, pairs)
        self._roots(ctx)

    @staticmethod
    def _secret(ctx: Context, secret: Resource, pairs: tuple[tuple[str, str | None], ...]) -> None:
        what = f"CA secret {secret.name}"
        for cert_key, key_key in pairs:
            try:
                pem = secret_bytes(secret.body, cert_key)
                key_pem = secret_bytes(secret.body, key_key) if key_key else None
            except CertError as exc:
                ctx.report("MSH0303", secret, path=f"data.{cert_key}", what=what, key=cert_key, detail=str(exc))
                continue
            check_pem(ctx, secret, what, f"data.{cert_key}", pem, f"data.{key_key}" if key_key else None, key_pem)

    @staticmethod
    def _roots(ctx: Context) -> None:
        roots: dict[str, tuple[Resource, bytes]] = {}
        for cm in ctx.resources.of_kind("ConfigMap"):
            if cm.name != ROOT_CONFIGMAP:
                continue
            pem = str((cm.body.get("data") or {}).get(ROOT_KEY) or "").strip().encode()
            if check_pem(ctx, cm, "mesh root", f"data.{ROOT_KEY}", pem):
                roots[cm.namespace or ""] = (cm, pem)
        if len(roots) < 2:
            return
        reference_ns = ctx.env.istio_namespace if ctx.env.istio_namespace in roots else \
            _most_common_namespace(roots)
        reference = roots[reference_ns][1]
        for namespace, (cm, pem) in sorted(roots.items()):
            if pem != reference:
                ctx.report("MSH0305", cm, path=f"data.{ROOT_KEY}", namespace=namespace,
                           reference=f"namespace {reference_ns}")


def _most_common_namespace(roots: dict[str, tuple[Resource, bytes]]) -> str:
    counts = Counter(pem for _, pem in roots.values())
    common = counts.most_common(1)[0][0]
    return min(ns for ns, (_, pem) in roots.items() if pem == common)
