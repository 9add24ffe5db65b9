"""Objects for live analysis against the real kube-apiserver: Bookinfo-like services, pods, CRDs.

The session's shared server (``real_kube_istio``) is used with unique namespaces. Tests that need
cluster-wide objects others must not see (Gateway API CRDs, one of them broken) get a private
server of their own (``private_kube``), with Istio's CRDs too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.realkube.objects import apply_all, istio_crds
from tests.realkube.server import RealKube, assets_dir

GATEWAY_GROUP = "gateway.networking.k8s.io"


@pytest.fixture(scope="module")
def private_kube(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealKube]:
    """A real API server for this module only, with Istio's CRDs."""
    from tests.conftest import SHARED_ISTIO

    assets = assets_dir()
    if assets is None:
        pytest.skip("no kube-apiserver/etcd (KUBEBUILDER_ASSETS or ../shared/kube)")
    if not SHARED_ISTIO.is_dir():
        pytest.skip("../shared/istio is not present")
    kube = RealKube(workdir=tmp_path_factory.mktemp("privatekube"), assets=assets).start()
    apply_all(kube, istio_crds(SHARED_ISTIO))
    yield kube
    kube.stop()


def service(name: str, ns: str, selector: dict[str, str], ports: list[dict[str, Any]] | None = None,
            ) -> dict[str, Any]:
    """A ClusterIP Service (the API server fills in protocol and targetPort)."""
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": ns},
            "spec": {"selector": selector, "ports": ports or [{"name": "http", "port": 9080}]}}


def pod(name: str, ns: str, labels: dict[str, str], image: str = "docker.io/istio/examples-bookinfo:1.20",
        container: str = "app", ports: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A Pod (nothing runs it: there is no kubelet)."""
    spec: dict[str, Any] = {"name": container, "image": image}
    if ports:
        spec["ports"] = ports
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": ns, "labels": labels},
            "spec": {"containers": [spec]}}


def gateway_api_crd(kind: str, plural: str, bundle: str = "v1.4.0", short_names: tuple[str, ...] = (),
                    versions: tuple[str, ...] = ("v1",), namespaced: bool = True) -> dict[str, Any]:
    """A Gateway API CRD (open schema, no status subresource) with its bundle-version annotation."""
    names: dict[str, Any] = {"kind": kind, "plural": plural, "singular": kind.lower(), "listKind": f"{kind}List"}
    if short_names:
        names["shortNames"] = list(short_names)
    return {
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"name": f"{plural}.{GATEWAY_GROUP}",
                     "annotations": {f"{GATEWAY_GROUP}/bundle-version": bundle,
                                     # a k8s.io group: the API server wants the approval annotation
                                     "api-approved.kubernetes.io": "https://github.com/kubernetes-sigs/gateway-api/pull/1"}},
        "spec": {"group": GATEWAY_GROUP, "scope": "Namespaced" if namespaced else "Cluster", "names": names,
                 "versions": [{"name": v, "served": True, "storage": i == 0,
                               "schema": {"openAPIV3Schema": {"type": "object",
                                                              "x-kubernetes-preserve-unknown-fields": True}}}
                              for i, v in enumerate(versions)]},
    }


def codes(found: list[dict[str, Any]], code: str | None = None) -> list[tuple[str, str]]:
    """(code, origin) of JSON findings, optionally of one code only."""
    return sorted((m["code"], m["origin"]) for m in found if code in (None, m["code"]))
