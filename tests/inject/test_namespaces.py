"""inject enable/disable/status: merge patches that keep other labels; against the fake API server."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest
import yaml

from meshctl.inject.namespaces import disable_patch, enable_patch, namespace_status

needs_cluster = pytest.mark.skipif(
    importlib.util.find_spec("meshctl.cluster.client") is None
    or importlib.util.find_spec("tests.fakeapi.server") is None,
    reason="meshctl.cluster.client or the fake API server is not present")


def test_enable_default_sets_injection_and_drops_revision() -> None:
    assert enable_patch({"team": "a", "istio.io/rev": "1-16"}) == {
        "metadata": {"labels": {"istio-injection": "enabled", "istio.io/rev": None}}}
    assert enable_patch({"istio-injection": "enabled"}) is None


def test_enable_revision_drops_the_conflicting_label() -> None:
    assert enable_patch({"istio-injection": "enabled"}, "canary") == {
        "metadata": {"labels": {"istio.io/rev": "canary", "istio-injection": None}}}
    assert enable_patch({"istio.io/rev": "canary"}, "canary") is None


def test_disable_removes_only_injection_labels() -> None:
    assert disable_patch({"a": "b", "istio-injection": "enabled"}) == {
        "metadata": {"labels": {"istio-injection": None}}}
    assert disable_patch({"a": "b"}) is None


def _webhooks(shared_istio: Path) -> list[dict[str, Any]]:
    folder = shared_istio / "checkinject" / "testdata" / "check-inject"
    return [yaml.safe_load(p.read_text()) for p in sorted(folder.iterdir())]


def test_status_lists_pods_needing_restart(shared_istio: Path) -> None:
    ns = {"metadata": {"name": "shop", "labels": {"istio.io/rev": "1-16"}}}
    bare = {"metadata": {"name": "bare", "labels": {}}, "spec": {"containers": [{"name": "a"}]}}
    old = {"metadata": {"name": "old", "annotations": {"sidecar.istio.io/status": '{"revision":"default"}'}},
           "spec": {"containers": [{"name": "a"}, {"name": "istio-proxy"}]}}
    good = {"metadata": {"name": "good", "annotations": {"sidecar.istio.io/status": '{"revision":"1-16"}'}}}
    out = {"metadata": {"name": "out", "labels": {"sidecar.istio.io/inject": "false"}}}
    st = namespace_status(ns, _webhooks(shared_istio), [bare, old, good, out])
    assert st.webhooks == ["istio-sidecar-injector-1-16"] and st.revision == "1-16"
    assert [r.pod for r in st.restarts] == ["bare", "old"]


AUTO = {"kubernetes.io/metadata.name": "shop"}  # the API server's own label, kept like any other


def _ns(fake_api: Any, name: str) -> dict[str, str]:
    return fake_api.get_object("", "v1", "namespaces", name)["metadata"].get("labels") or {}


@needs_cluster
def test_enable_then_disable_keeps_other_labels(fake_api: Any, run_cli: Any) -> None:
    fake_api.add({"apiVersion": "v1", "kind": "Namespace",
                  "metadata": {"name": "shop", "labels": {"team": "payments", "tier": "gold"}}})
    kc = ["--kubeconfig", fake_api.kubeconfig]
    res = run_cli("inject", "enable", "-n", "shop", *kc)
    assert res.exit_code == 0, res.stderr
    assert _ns(fake_api, "shop") == {**AUTO, "team": "payments", "tier": "gold", "istio-injection": "enabled"}
    again = run_cli("inject", "enable", "-n", "shop", *kc)
    assert again.exit_code == 0 and "unchanged" in again.stdout
    assert run_cli("inject", "enable", "-n", "shop", "--revision", "canary", *kc).exit_code == 0
    assert _ns(fake_api, "shop") == {**AUTO, "team": "payments", "tier": "gold", "istio.io/rev": "canary"}
    assert run_cli("inject", "disable", "-n", "shop", *kc).exit_code == 0
    assert _ns(fake_api, "shop") == {**AUTO, "team": "payments", "tier": "gold"}


@needs_cluster
@pytest.mark.parametrize("mode", ["--dry-run", "--dry-run=server"])
def test_dry_run_changes_nothing(fake_api: Any, run_cli: Any, mode: str) -> None:
    fake_api.add({"apiVersion": "v1", "kind": "Namespace",
                  "metadata": {"name": "shop", "labels": {"a": "b"}}})
    res = run_cli("inject", "enable", "-n", "shop", mode, "--kubeconfig", fake_api.kubeconfig)
    assert res.exit_code == 0, res.stderr
    assert "istio-injection=enabled" in res.stdout
    assert _ns(fake_api, "shop") == {**AUTO, "a": "b"}


@needs_cluster
def test_status_and_check_inject_against_the_cluster(fake_api: Any, run_cli: Any, shared_istio: Path) -> None:
    for hook in _webhooks(shared_istio):
        fake_api.add(hook)
    fake_api.add({"apiVersion": "v1", "kind": "Namespace",
                  "metadata": {"name": "shop", "labels": {"istio-injection": "enabled"}}})
    fake_api.add({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "namespace": "shop"},
                  "spec": {"containers": [{"name": "web", "image": "nginx"}]}})
    kc = ["--kubeconfig", fake_api.kubeconfig]
    res = run_cli("inject", "status", "-n", "shop", "-o", "json", *kc)
    assert res.exit_code == 0, res.stderr
    assert '"istio-sidecar-injector"' in res.stdout and '"web"' in res.stdout
    chk = run_cli("check-inject", "-n", "shop", "web", "-o", "json", *kc)
    assert chk.exit_code == 0, chk.stderr
    assert '"Namespace label istio-injection=enabled matches"' in chk.stdout


def test_missing_namespace_is_one_line_error(fake_api: Any, run_cli: Any) -> None:
    res = run_cli("inject", "enable", "-n", "nope", "--kubeconfig", fake_api.kubeconfig)
    assert res.exit_code == 1 and res.stderr.strip() == "Error: namespace nope not found"
