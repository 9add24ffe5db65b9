"""inject enable/disable ``-o``, option values checked (exit 64), kube-inject's output file, and what
check-inject says about webhook files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

AUTO = {"kubernetes.io/metadata.name": "shop"}
POD = ("apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\n"
       "spec: {containers: [{name: a, image: nginx}]}\n")


def _usage(res: Any) -> None:
    assert res.exit_code == 64, res.stderr
    assert res.stderr.count("\n") == 1 and res.stderr.startswith("Error: ") and "Traceback" not in res.stderr


def _shop(fake_api: Any) -> list[str]:
    fake_api.add({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop", "labels": {"team": "a"}}})
    return ["-n", "shop", "--kubeconfig", fake_api.kubeconfig]


def test_enable_disable_json_and_yaml(fake_api: Any, run_cli: Any) -> None:
    args = _shop(fake_api)
    res = run_cli("inject", "enable", *args, "-o", "json")
    assert res.exit_code == 0, res.stderr
    assert json.loads(res.stdout) == {"namespace": "shop", "changed": True,
                                      "labels": {**AUTO, "istio-injection": "enabled", "team": "a"}}
    again = run_cli("inject", "enable", *args, "-o", "yaml")
    assert again.exit_code == 0 and yaml.safe_load(again.stdout)["changed"] is False
    rev = json.loads(run_cli("inject", "enable", *args, "-r", "canary", "-o", "json").stdout)
    assert rev["labels"] == {**AUTO, "istio.io/rev": "canary", "team": "a"} and rev["changed"]
    off = json.loads(run_cli("inject", "disable", *args, "-o", "json").stdout)
    assert off == {"namespace": "shop", "labels": {**AUTO, "team": "a"}, "changed": True}


@pytest.mark.parametrize("mode", ["--dry-run", "--dry-run=server"])
def test_enable_json_dry_run_shows_labels_after_without_changing(fake_api: Any, run_cli: Any, mode: str) -> None:
    args = _shop(fake_api)
    res = run_cli("inject", "enable", *args, mode, "-o", "json")
    assert res.exit_code == 0, res.stderr
    assert json.loads(res.stdout)["labels"] == {**AUTO, "istio-injection": "enabled", "team": "a"}
    assert fake_api.get_object("", "v1", "namespaces", "shop")["metadata"]["labels"] == {**AUTO, "team": "a"}


@pytest.mark.parametrize("rev", ["bad rev!", "-canary", "canary-", "x" * 64, "a/b"])
def test_enable_rejects_a_revision_that_is_no_label_value(fake_api: Any, run_cli: Any, rev: str) -> None:
    fake_api.reset_counters()
    res = run_cli("inject", "enable", "-n", "shop", "--revision", rev, "--kubeconfig", fake_api.kubeconfig)
    _usage(res)
    assert "--revision" in res.stderr and "not a valid label value" in res.stderr
    assert sum(fake_api.requests.values()) == 0


def test_enable_rejects_unknown_output(fake_api: Any, run_cli: Any) -> None:
    _usage(run_cli("inject", "disable", *_shop(fake_api), "-o", "wide"))


@pytest.mark.parametrize("word", ["json", "yaml", "table"])
def test_kube_inject_refuses_a_format_word_as_output_file(run_cli: Any, tmp_path: Path, monkeypatch: Any,
                                                         word: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pod.yaml").write_text(POD)
    res = run_cli("kube-inject", "-f", "pod.yaml", "-o", word, "--no-use-kube")
    _usage(res)
    assert f"-o ./{word}" in res.stderr
    assert not (tmp_path / word).exists()


@pytest.mark.parametrize("flag", ["-o", "--output-file", "--output"])
def test_kube_inject_writes_the_output_file(run_cli: Any, tmp_path: Path, flag: str) -> None:
    (tmp_path / "pod.yaml").write_text(POD)
    out = tmp_path / "json"  # a file may still be called json: spelled as a path
    res = run_cli("kube-inject", "-f", str(tmp_path / "pod.yaml"), flag, str(out), "--no-use-kube")
    assert res.exit_code == 0, res.stderr
    assert res.stdout == "" and "istio-proxy" in out.read_text()


@pytest.mark.parametrize("selector", ["bad selector!!", "app=web,", "=web", "app in web"])
def test_check_inject_rejects_a_malformed_selector(run_cli: Any, tmp_path: Path, selector: str) -> None:
    (tmp_path / "pod.yaml").write_text(POD)
    res = run_cli("check-inject", "-f", str(tmp_path / "pod.yaml"), "-l", selector)
    _usage(res)
    assert f"invalid label selector -l {selector!r}" in res.stderr


def test_check_inject_accepts_kubectl_selectors(run_cli: Any, tmp_path: Path) -> None:
    from meshctl.analysis.selectors import selector_syntax_error

    for ok in ("app=web", "app==web,tier!=db", "env in (prod, dev),!canary", "app.kubernetes.io/name", "a="):
        assert selector_syntax_error(ok) is None, ok


def _hook(name: str, webhook: str, kind: str = "MutatingWebhookConfiguration") -> str:
    return yaml.safe_dump({"apiVersion": "admissionregistration.k8s.io/v1", "kind": kind,
                           "metadata": {"name": name},
                           "webhooks": [{"name": webhook, "admissionReviewVersions": ["v1"], "sideEffects": "None",
                                         "clientConfig": {"service": {"name": "x", "namespace": "y"}}}]})


def test_check_inject_says_why_given_webhooks_hold_no_istio_injector(run_cli: Any, tmp_path: Path) -> None:
    (tmp_path / "pod.yaml").write_text(POD)
    (tmp_path / "hook.yaml").write_text(_hook("other-injector", "inject.example.com"))
    res = run_cli("check-inject", "-f", str(tmp_path / "pod.yaml"), "-f", str(tmp_path / "hook.yaml"))
    assert res.exit_code == 0, res.stderr
    assert "none of the 1 MutatingWebhookConfiguration(s) in the given files (other-injector)" in res.stderr
    assert "Istio injector" in res.stderr


def test_check_inject_with_no_mutating_webhook_in_files_says_so(run_cli: Any, tmp_path: Path,
                                                                monkeypatch: Any) -> None:
    monkeypatch.setenv("KUBECONFIG", str(tmp_path / "absent"))
    (tmp_path / "pod.yaml").write_text(POD)
    (tmp_path / "hook.yaml").write_text(_hook("istio-validator", "validation.istio.io",
                                              "ValidatingWebhookConfiguration"))
    res = run_cli("check-inject", "-f", str(tmp_path / "pod.yaml"), "-f", str(tmp_path / "hook.yaml"))
    assert res.exit_code == 1 and res.stderr.count("\n") == 1
    assert ("the given files hold no MutatingWebhookConfiguration (only ValidatingWebhookConfiguration "
            "istio-validator, which is not mutating), and the cluster's could not be read") in res.stderr


def test_check_inject_falls_back_to_the_cluster_webhooks_with_a_note(fake_api: Any, run_cli: Any,
                                                                     tmp_path: Path) -> None:
    (tmp_path / "pod.yaml").write_text(POD)
    res = run_cli("check-inject", "-f", str(tmp_path / "pod.yaml"), "--kubeconfig", fake_api.kubeconfig)
    assert res.exit_code == 0, res.stderr
    assert "the given files hold no MutatingWebhookConfiguration; using the cluster's" in res.stderr
