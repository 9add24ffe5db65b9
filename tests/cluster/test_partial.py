"""Faults that must never turn into a pass (issue 14.6), and credentials that cannot be obtained (13.10),
through the CLI against the fake API server (the faults a real server will not produce on demand)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import crd, pod

VS_CRD = crd("networking.istio.io", "VirtualService", "virtualservices")


def _analyze(run_cli: Any, fake_api: Any, *args: str) -> Any:
    return run_cli("analyze", "-A", "--kubeconfig", fake_api.kubeconfig, *args)


@pytest.mark.timeout(120)
def test_discovery_failing_for_every_group_is_not_a_pass(fake_api: Any, run_cli: Any) -> None:
    fake_api.add(VS_CRD)
    fake_api.faults.fail_next(10_000, status=503, path_contains="/apis/")
    res = _analyze(run_cli, fake_api)
    assert res.exit_code == 1, res.stdout + res.stderr
    assert "No validation issues found" not in res.stdout
    assert "checks that did not run" in res.stderr and "virtualservice." in res.stderr
    assert "MSH0501" in res.stdout  # the report itself says which checks did not run
    assert "Traceback" not in res.stderr


@pytest.mark.timeout(180)
@pytest.mark.parametrize("fmt", ["log", "table", "json", "yaml", "sarif", "junit"])
def test_allow_partial_lists_the_checks_not_run_in_every_format(fake_api: Any, run_cli: Any, fmt: str) -> None:
    fake_api.add(VS_CRD)
    fake_api.faults.fail_next(10_000, status=503, path_contains="/apis/networking.istio.io")
    res = _analyze(run_cli, fake_api, "--allow-partial", "-o", fmt)
    assert res.exit_code in (0, 79), res.stderr
    assert "virtualservice.ConflictingMeshGatewayHostsAnalyzer" in res.stdout
    assert "MSH0501" in res.stdout or "CheckNotRun" in res.stdout
    if fmt == "json":
        not_run = [m for m in json.loads(res.stdout) if m["code"] == "MSH0501"]
        assert not_run and all("did not run" in m["message"] for m in not_run)


@pytest.mark.timeout(120)
def test_410_on_every_continue_is_a_failed_read(fake_api: Any, run_cli: Any) -> None:
    for i in range(600):  # two pages
        fake_api.add(pod(f"p{i:03d}"))
    fake_api.faults.gone_on_continue(10)
    res = _analyze(run_cli, fake_api, "-o", "json")
    assert res.exit_code == 1, res.stderr
    assert "410" in res.stderr and "Pod" in res.stderr
    assert any(m["code"] == "MSH0501" for m in json.loads(res.stdout))
    fake_api.faults.clear()
    fake_api.faults.gone_on_continue(1)  # once is recovered by restarting the list
    res = _analyze(run_cli, fake_api, "-o", "json")
    assert res.exit_code in (0, 79), res.stderr
    assert not any(m["code"] == "MSH0501" for m in json.loads(res.stdout))


@pytest.mark.timeout(120)
def test_truncated_bodies_are_retried_then_fail_clearly(fake_api: Any, run_cli: Any) -> None:
    fake_api.add(pod("a"))
    fake_api.faults.truncate_next(2, path_contains="/api/v1/pods")
    res = _analyze(run_cli, fake_api, "-o", "json")
    assert res.exit_code in (0, 79), res.stderr
    assert fake_api.requests[("GET", "/api/v1/pods")] == 3
    fake_api.faults.truncate_next(100, path_contains="/api/v1/pods")
    res = _analyze(run_cli, fake_api, "-o", "json")
    assert res.exit_code == 1
    assert "truncated or invalid JSON body" in res.stderr and "Traceback" not in res.stderr


def _exec_kubeconfig(fake_api: Any, tmp_path: Path) -> str:
    config = yaml.safe_load(Path(fake_api.kubeconfig).read_text())
    config["users"][0]["user"] = {"exec": {"apiVersion": "client.authentication.k8s.io/v1",
                                           "command": str(tmp_path / "no-such-credential-plugin"),
                                           "interactiveMode": "Never"}}
    path = tmp_path / "exec-kubeconfig"
    path.write_text(yaml.safe_dump(config))
    return str(path)


def test_missing_exec_plugin_fails_before_any_request(fake_api: Any, run_cli: Any, tmp_path: Path) -> None:
    kubeconfig = _exec_kubeconfig(fake_api, tmp_path)
    fake_api.reset_counters()
    res = run_cli("analyze", "-A", "--kubeconfig", kubeconfig)
    assert res.exit_code == 1
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert "cannot get credentials" in lines[0] and "no-such-credential-plugin" in lines[0]
    assert "ERROR:root" not in res.stderr and "403" not in res.stderr
    assert not fake_api.requests, dict(fake_api.requests)


@pytest.mark.timeout(120)
def test_precheck_410_on_every_continue_is_not_a_pass(fake_api: Any, run_cli: Any) -> None:
    for i in range(600):  # two pages of pods in the Istio namespace
        fake_api.add(pod(f"p{i:03d}", "istio-system"))
    fake_api.faults.gone_on_continue(10)
    res = run_cli("precheck", "--kubeconfig", fake_api.kubeconfig, "-o", "json")
    assert res.exit_code == 1, res.stdout + res.stderr
    assert "checks that did not run" in res.stderr and "410" in res.stderr
    not_run = [m for m in json.loads(res.stdout) if m["code"] == "MSH0501"]
    assert not_run, res.stdout
    fake_api.faults.gone_on_continue(10)
    partial = run_cli("precheck", "--kubeconfig", fake_api.kubeconfig, "-o", "json", "--allow-partial")
    assert partial.exit_code in (0, 79)
    assert [m["message"] for m in json.loads(partial.stdout) if m["code"] == "MSH0501"] == \
        [m["message"] for m in not_run]


@pytest.mark.timeout(120)
def test_precheck_server_errors_are_not_a_pass(fake_api: Any, run_cli: Any) -> None:
    fake_api.faults.fail_next(10_000, status=503, path_contains="/api/v1/nodes")
    res = run_cli("precheck", "--kubeconfig", fake_api.kubeconfig)
    assert res.exit_code == 1, res.stdout + res.stderr
    assert "MSH0501" in res.stdout or "did not run" in res.stdout
