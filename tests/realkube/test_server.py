"""The real API server tier itself: it starts, serves Istio's CRDs, and enforces RBAC for token users."""

from __future__ import annotations

import urllib.error

import pytest

from .objects import grant, namespace
from .server import RealKube


def test_istio_crds_are_served(real_kube_istio: RealKube) -> None:
    groups = {g["name"] for g in real_kube_istio.request("GET", "/apis")["groups"]}
    assert {"networking.istio.io", "security.istio.io", "telemetry.istio.io"} <= groups


def test_rbac_is_enforced_for_token_users(real_kube: RealKube) -> None:
    namespace(real_kube, "rk-rbac")
    with pytest.raises(urllib.error.HTTPError) as denied:
        real_kube.request("GET", "/api/v1/namespaces/rk-rbac/pods", user="nobody")
    assert denied.value.code == 403
    grant(real_kube, "nsuser", "rk-rbac", [{"apiGroups": [""], "resources": ["pods"], "verbs": ["list"]}])
    assert real_kube.request("GET", "/api/v1/namespaces/rk-rbac/pods", user="nsuser")["items"] == []
