"""The ownership rules of apply (pure), the release record round trip, and --set translation."""

from __future__ import annotations

from typing import Any

import pytest

from meshctl.errors import ClusterError, UsageError
from meshctl.install.apply import crd_newer, decide
from meshctl.install.config import build_config, profile_names
from meshctl.install.meta import RELEASE
from meshctl.install.plan import releases
from meshctl.install.release import Record, decode, encode

ME = "istio-system/istio"


def _crd(version: str = "1.28.0", versions: tuple[str, ...] = ("v1",), owner: str | None = None,
         managers: tuple[str, ...] = ()) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": "x.istio.io", "labels": {"app.kubernetes.io/version": version}}
    if owner:
        meta["annotations"] = {RELEASE: owner}
    meta["managedFields"] = [{"manager": m, "operation": "Apply", "fieldsV1": {"f:spec": {}}} for m in managers]
    return {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": meta,
            "spec": {"versions": [{"name": v} for v in versions]}}


def test_missing_objects_are_created_and_own_ones_updated() -> None:
    assert decide(_crd(), None, ME, set(), False).action == "create"
    assert decide(_crd(), _crd(owner=ME), ME, {ME}, False).action == "update"


def test_another_release_keeps_its_objects_even_with_force() -> None:
    step = decide(_crd(), _crd(owner="istio-system/istio-canary"), ME, {"istio-system/istio-canary"}, True)
    assert step.action == "keep" and "istio-system/istio-canary" in step.reason


def test_a_stale_release_annotation_does_not_protect_an_object() -> None:
    step = decide(_crd(), _crd(owner="gone/istio", managers=("meshctl",)), ME, {ME}, False)
    assert step.action == "update" and step.adopt


@pytest.mark.parametrize(("live", "why"), [
    (_crd(version="1.29.1"), "newer than 1.28.0"),
    (_crd(versions=("v1", "v2")), "serves v2"),
    (_crd(managers=("helm",)), "managed by helm"),
])
def test_crds_newer_or_managed_by_others_are_kept_unless_force(live: dict[str, Any], why: str) -> None:
    step = decide(_crd(), live, ME, {ME}, False)
    assert step.action == "keep" and why in step.reason and "--force" in step.reason
    assert decide(_crd(), live, ME, {ME}, True).action == "update"


def test_older_crd_is_not_newer() -> None:
    assert crd_newer(_crd(version="1.27.0"), _crd()) is None


def test_foreign_objects_are_kept_unless_force() -> None:
    sa = {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "istiod", "namespace": "istio-system"}}
    assert decide(sa, sa, ME, {ME}, False).action == "keep"
    assert decide(sa, sa, ME, {ME}, True).adopt


def test_unknown_releases_are_assumed_alive() -> None:  # Secrets could not be listed
    assert decide(_crd(), _crd(owner="other/istio"), ME, None, False).action == "keep"


def test_record_round_trip() -> None:
    record = Record(name="istio", namespace="istio-system", revision="", spec={"profile": "demo"},
                    charts=[{"chart": "istiod"}], manifest=[{"kind": "ConfigMap", "metadata": {"name": "istio"}}],
                    owned=[{"apiVersion": "v1", "kind": "ConfigMap", "namespace": "istio-system", "name": "istio"}],
                    generation=3, created_namespace=True)
    secret = encode(record)
    assert secret["metadata"]["name"] == "meshctl-release-istio" and secret["type"] == "meshctl.io/release.v1"
    assert decode(secret) == record
    with pytest.raises(ClusterError, match="damaged"):
        decode({"metadata": {"name": "meshctl-release-istio"}, "data": {"release": "bm90IGd6aXA="}})


def test_profiles_and_their_charts() -> None:
    assert set(profile_names()) == {"default", "demo", "minimal", "empty", "ambient", "remote", "preview", "stable"}
    charts = {p: [r.chart for r in releases(build_config(p))] for p in profile_names()}
    assert charts["ambient"] == ["base", "istiod", "cni", "ztunnel"]
    assert charts["demo"] == ["base", "istiod", "gateway", "gateway"] and charts["empty"] == []


def test_revision_and_helm_values() -> None:
    cfg = build_config(sets=["pilot.env.A=b", "values.global.hub=h"], revision="canary")
    istiod = next(r for r in releases(cfg) if r.chart == "istiod")
    assert istiod.name == "istiod-canary" and istiod.values["revision"] == "canary"
    assert istiod.values["pilot"] == {"env": {"A": "b"}} and istiod.values["global"]["hub"] == "h"
    assert cfg.release == "istio-canary"


def test_bad_set_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        build_config(sets=["novalue"])


def test_revision_default_is_the_unnamed_revision() -> None:
    assert build_config(revision="default").release == build_config().release == "istio"
