"""The volumes an injection template adds and the mounts of its istio-proxy, by template kind.

``sidecar``, ``gateway`` and ``grpc-agent`` share most of them; values choose the
variants (GKE workload certificates, a CA other than istiod, mounted mTLS certs, a
trust bundle name, ClusterTrustBundles) and annotations add a custom bootstrap and the
user's own volumes.
"""

from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING, Any

from meshctl.errors import InputError

if TYPE_CHECKING:
    from meshctl.inject.pod import Pod

Obj = dict[str, Any]
BOOTSTRAP = "sidecar.istio.io/bootstrapOverride"


def _parts() -> tuple[Obj, Obj]:
    from meshctl.inject.pod import template

    return template("mounts"), template("volumes")


def user_items(pod: Pod, key: str) -> list[Obj]:
    """``sidecar.istio.io/userVolume`` / ``userVolumeMount``: JSON, a map of name -> item (or a list)."""
    text = pod.ann.get(f"sidecar.istio.io/{key}")
    if not text:
        return []
    try:
        data = json.loads(str(text))
    except ValueError:
        raise InputError(f"annotation sidecar.istio.io/{key} is not valid JSON") from None
    if isinstance(data, dict):
        return [{"name": k, **v} for k, v in sorted(data.items()) if isinstance(v, dict)]
    return [v for v in data if isinstance(v, dict)] if isinstance(data, list) else []


def _gke(pod: Pod) -> bool:
    return str(pod.values.value("global.caName", "")) == "GkeWorkloadCertificate"


def _istiod_ca(pod: Pod) -> bool:
    return str(pod.values.value("global.pilotCertProvider", "istiod")) == "istiod"


def mounts(pod: Pod, kind: str = "sidecar") -> list[Obj]:
    """istio-proxy's volume mounts, in the template's order."""
    table, _ = _parts()
    names = ["workload-socket"] + (["credential-socket"] if kind != "grpc-agent" else [])
    names.append("gke-workload-certificate" if _gke(pod) else "workload-certs")
    if _istiod_ca(pod):
        names += ["istiod-ca-cert"] + (["istio-ca-crl"] if kind == "sidecar" else [])
    names.append("istio-data")
    if BOOTSTRAP in pod.ann and kind != "grpc-agent":
        names.append("custom-bootstrap-volume")
    names += ["istio-xds" if kind == "grpc-agent" else "istio-envoy", "istio-token"]
    if pod.values.flag("global.mountMtlsCerts"):
        names.append("istio-certs")
    names.append("istio-podinfo")
    out = []
    for name in names:
        entry = copy.deepcopy(table.get(name if name != "istio-xds" else "istio-envoy", {}))
        out.append({"name": name, **entry})
    if kind != "gateway":
        out += user_items(pod, "userVolumeMount")
    return out


def _token(pod: Pod) -> Obj:
    audience = str(pod.values.value("global.sds.token.aud", "istio-ca"))
    return {"name": "istio-token", "projected": {"sources": [{"serviceAccountToken": {
        "audience": audience, "expirationSeconds": 43200, "path": "istio-token"}}]}}


def _ca_cert(pod: Pod) -> Obj:
    bundle = str(pod.values.value("global.trustBundleName", "") or "")
    env = pod.values.value("pilot.env", {}) or {}
    if isinstance(env, dict) and env.get("ENABLE_CLUSTER_TRUST_BUNDLE_API") is True:
        return {"name": "istiod-ca-cert", "projected": {"sources": [{"clusterTrustBundle": {
            "name": f"istio.io:istiod-ca:{bundle or 'root-cert'}", "path": "root-cert.pem"}}]}}
    return {"name": "istiod-ca-cert", "configMap": {"name": bundle or "istio-ca-root-cert"}}


def volumes(pod: Pod, kind: str = "sidecar") -> list[Obj]:
    """The template's volumes, in its order."""
    _, table = _parts()
    empty = kind != "sidecar"

    def plain(name: str, explicit_empty: bool = False) -> Obj:
        entry = copy.deepcopy(table.get(name, {}))
        if explicit_empty and not entry:
            entry = {"emptyDir": {}}
        return {"name": name, **entry}

    out = [plain("workload-socket")]
    if kind != "grpc-agent":
        out.append(plain("credential-socket", empty))
    out.append(plain("gke-workload-certificate") if _gke(pod) else plain("workload-certs", kind == "gateway"))
    if BOOTSTRAP in pod.ann:
        out.append({"name": "custom-bootstrap-volume", "configMap": {"name": str(pod.ann[BOOTSTRAP])}})
    envoy = plain("istio-envoy")
    envoy["name"] = "istio-xds" if kind == "grpc-agent" else "istio-envoy"
    out += [envoy, plain("istio-data"), plain("istio-podinfo"), _token(pod)]
    if _istiod_ca(pod):
        out.append(_ca_cert(pod))
    if kind == "sidecar":
        crl = str(pod.values.value("pilot.crlConfigMapName", "") or "istio-ca-crl")
        out.append({"name": "istio-ca-crl", "configMap": {"name": crl, "optional": True}})
    if pod.values.flag("global.mountMtlsCerts"):
        account = str(pod.spec.get("serviceAccountName") or pod.spec.get("serviceAccount") or "")
        out.append({"name": "istio-certs", "secret": {"optional": True,
                                                      "secretName": f"istio.{account or 'default'}"}})
    if kind != "gateway":
        out += user_items(pod, "userVolume")
    return out
