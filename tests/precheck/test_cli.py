"""``meshctl precheck`` end to end: formats, exit codes, no-rights tokens, offline, --list, TTY output."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.precheck.conftest import healthy

MANIFESTS = Path(__file__).parent / "manifests"
API_GROUPS = ("", "apps", "apiextensions.k8s.io", "rbac.authorization.k8s.io", "admissionregistration.k8s.io",
              "policy", "autoscaling")
FORMATS = ("log", "table", "json", "yaml", "sarif", "junit")


def no_rights(fake: Any) -> Any:
    """Deny everything except what every authenticated user may do (SelfSubjectAccessReview)."""
    for group in API_GROUPS:
        fake.deny("*", "*", group)
    return fake


def test_healthy_cluster_exits_0(cluster: Any, run_cli: Any) -> None:
    result = run_cli("precheck", "--kubeconfig", cluster.kubeconfig)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout == "No issues found; nothing blocks installing Istio 1.28.0.\n"


@pytest.mark.parametrize("fmt", FORMATS)
def test_token_without_rights(fake_api: Any, run_cli: Any, fmt: str) -> None:
    result = run_cli("precheck", "--kubeconfig", no_rights(fake_api).kubeconfig, "-o", fmt)
    assert result.exit_code == 79
    assert "Traceback" not in result.stderr and result.stderr == ""
    assert "IST0141" in result.stdout
    if fmt == "json":
        found = [m for m in json.loads(result.stdout) if m["code"] == "IST0141"]
        assert len(found) == 1
        text = found[0]["message"]
        for needed in ("create, get, list, patch customresourcedefinitions.apiextensions.k8s.io cluster-wide",
                       "list nodes cluster-wide", "list pods in istio-system",
                       "create, get, patch secrets in istio-system"):
            assert needed in text
        assert "MSH0801" not in {m["code"] for m in json.loads(result.stdout)}


def test_token_that_cannot_even_ask(fake_api: Any, run_cli: Any) -> None:
    fake_api.deny("*", "*", "*")
    result = run_cli("precheck", "--kubeconfig", fake_api.kubeconfig, "-o", "json")
    assert result.exit_code == 79 and result.stderr == ""
    codes = [m["code"] for m in json.loads(result.stdout)]
    assert codes == ["IST0141"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_same_exit_code_in_every_format(fake_api: Any, run_cli: Any, fmt: str) -> None:
    healthy(fake_api).set_version("v1.28.0")
    result = run_cli("precheck", "--kubeconfig", fake_api.kubeconfig, "-o", fmt)
    assert result.exit_code == 79
    assert "IST0142" in result.stdout


def test_thresholds_and_suppression(fake_api: Any, run_cli: Any) -> None:
    kube = healthy(fake_api).kubeconfig
    fake_api.add({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "sick"},
                  "status": {"conditions": [{"type": "Ready", "status": "False", "reason": "Down"}]}})
    assert run_cli("precheck", "--kubeconfig", kube).exit_code == 0
    failing = run_cli("precheck", "--kubeconfig", kube, "--failure-threshold", "Warning")
    assert failing.exit_code == 79 and "MSH0812" in failing.stdout
    hidden = run_cli("precheck", "--kubeconfig", kube, "--failure-threshold", "Warning", "-S", "MSH0812=Node sick")
    assert hidden.exit_code == 0 and "MSH0812" not in hidden.stdout
    quiet = run_cli("precheck", "--kubeconfig", kube, "--output-threshold", "Error")
    assert "MSH0812" not in quiet.stdout


def test_offline_manifests(run_cli: Any) -> None:
    result = run_cli("precheck", "-f", str(MANIFESTS / "upgrade-blockers.yaml"), "-o", "json")
    found = {(m["code"], m["origin"]) for m in json.loads(result.stdout)}
    assert found == {
        ("IST0002", "VirtualService shop/reviews"),
        ("IST0002", "PodDisruptionBudget shop/reviews"),
        ("IST0136", "Pod shop/reviews-v1"),
    }
    assert result.exit_code == 0
    strict = run_cli("precheck", "-f", str(MANIFESTS), "--failure-threshold", "Info", "-o", "junit")
    assert strict.exit_code == 79 and "deprecated-apis" in strict.stdout


def test_offline_clean_manifest(run_cli: Any) -> None:
    result = run_cli("precheck", "-f", str(MANIFESTS / "clean.yaml"), "--failure-threshold", "Info")
    assert result.exit_code == 0
    assert "No issues found" in result.stdout


def test_list(run_cli: Any) -> None:
    result = run_cli("precheck", "--list", "-o", "json")
    rows = json.loads(result.stdout)
    names = [r["name"] for r in rows]
    assert {"kubernetes-version", "permissions", "clock-skew", "proxy-versions", "deprecated-apis"} <= set(names)
    assert all(r["hint"] and r["docs"].startswith("docs/precheck.md#") for r in rows)
    text = run_cli("precheck", "--list")
    assert text.exit_code == 0 and "docs/precheck.md#clock-skew" in text.stdout


def test_unknown_check_and_profile_are_usage_errors(run_cli: Any) -> None:
    assert run_cli("precheck", "--check", "nope").exit_code == 64
    assert run_cli("precheck", "--profile", "huge").exit_code == 64


def _tty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)


def test_tty_grouped_with_marks(fake_api: Any, run_cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    healthy(fake_api).set_version("v1.28.0")
    fake_api.add({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "sick"},
                  "status": {"conditions": [{"type": "Ready", "status": "False", "reason": "Down"}]}})
    _tty(monkeypatch)
    monkeypatch.delenv("NO_COLOR", raising=False)
    result = run_cli("precheck", "--kubeconfig", fake_api.kubeconfig)
    out = result.stdout
    assert result.exit_code == 79
    assert "kubernetes-version\n------------------\n" in out
    assert "\x1b[31m\u2716\x1b[0m The API server runs a Kubernetes version" in out
    assert "\x1b[33m\u26a0\x1b[0m At least one node is Ready" in out
    assert "\x1b[32m\u2714\x1b[0m" in out
    assert "see docs/precheck.md#kubernetes-version for hints" in out


@pytest.mark.parametrize("how", ["flag", "env"])
def test_tty_without_colour(cluster: Any, run_cli: Any, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    _tty(monkeypatch)
    args = ["precheck", "--kubeconfig", cluster.kubeconfig]
    if how == "flag":
        args.append("--no-color")
    else:
        monkeypatch.setenv("NO_COLOR", "1")
    result = run_cli(*args)
    assert "\x1b[" not in result.stdout
    assert "\u2714 The API server runs a Kubernetes version" in result.stdout


def test_unreachable_cluster_is_one_line(run_cli: Any, tmp_path: Path) -> None:
    kubeconfig = tmp_path / "config"
    kubeconfig.write_text(
        "apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: 'https://127.0.0.1:1'}}]\n"
        "users: [{name: u, user: {token: t}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\n"
        "current-context: c\n")
    result = run_cli("precheck", "--kubeconfig", str(kubeconfig), "--timeout", "5")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
