"""``-o table|json|yaml`` on install and uninstall: what was done, object by object."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from meshctl.install.config import build_config
from meshctl.install.manifest import build
from meshctl.install.readiness import wait_ready
from tests.install.test_install_cluster import SYSTEM, _istiod, _kc, _writes

ISTIOD = {"kind": "Deployment", "namespace": SYSTEM, "name": "istiod"}


def _install(run_cli: Any, fake_api: Any, *extra: str) -> Any:
    return run_cli("install", "-y", "--skip-precheck", "--no-wait", "-p", "minimal", *_kc(fake_api), *extra)


def _row(rows: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    return next(r for r in rows if r["kind"] == kind and r["name"] == name)


def test_install_json_lists_every_object_with_its_action(run_cli: Any, fake_api: Any) -> None:
    expected = build(build_config("minimal"))
    first = _install(run_cli, fake_api, "-o", "json")
    assert first.exit_code == 0, first.stderr
    rows = json.loads(first.stdout)  # nothing but the JSON on stdout
    assert len(rows) == len(expected) and {r["action"] for r in rows} == {"created"}
    assert _row(rows, "Deployment", "istiod") == {**ISTIOD, "action": "created"}
    crd = _row(rows, "CustomResourceDefinition", "virtualservices.networking.istio.io")
    assert crd["namespace"] is None
    assert "created" in first.stderr  # the summary goes to stderr

    again = _install(run_cli, fake_api, "-o", "yaml")
    assert again.exit_code == 0, again.stderr
    assert {r["action"] for r in yaml.safe_load(again.stdout)} == {"unchanged"}

    changed = _install(run_cli, fake_api, "-o", "json", "--set", "values.pilot.autoscaleEnabled=false")
    assert changed.exit_code == 0, changed.stderr
    actions = {r["action"] for r in json.loads(changed.stdout)}
    assert actions <= {"updated", "unchanged", "created"} and "updated" in actions


def test_install_dry_runs_in_json(run_cli: Any, fake_api: Any) -> None:
    fake_api.reset_counters()
    client = run_cli("install", "--dry-run", "-y", "-p", "minimal", "-o", "json", *_kc(fake_api))
    assert client.exit_code == 0, client.stderr
    assert {r["action"] for r in json.loads(client.stdout)} == {"would-apply"}
    assert _writes(fake_api) == 0
    # A server dry run needs the namespace to exist (as kubectl's does): dry-run a change of an install.
    assert _install(run_cli, fake_api).exit_code == 0
    spec = _istiod(fake_api)["spec"]
    server = _install(run_cli, fake_api, "--dry-run=server", "-o", "json", "--set", "values.pilot.replicaCount=3")
    assert server.exit_code == 0, server.stderr
    rows = json.loads(server.stdout)
    assert len(rows) == len(build(build_config("minimal")))
    assert {r["action"] for r in rows} <= {"would-update", "would-create", "unchanged"}
    assert _istiod(fake_api)["spec"] == spec


def test_apply_rows_name_the_actions() -> None:
    from meshctl.install.results import apply_rows

    obj = {"kind": "Deployment", "metadata": {"name": "istiod", "namespace": SYSTEM}}
    outcomes = [("created", obj), ("configured", obj), ("unchanged", obj)]
    assert [r["action"] for r in apply_rows(outcomes)] == ["created", "updated", "unchanged"]
    assert [r["action"] for r in apply_rows(outcomes, dry_run=True)] == ["would-create", "would-update", "unchanged"]
    assert apply_rows(outcomes)[0] == {**ISTIOD, "action": "created"}


def test_install_table_is_unchanged_and_bad_format_is_usage_error(run_cli: Any, fake_api: Any) -> None:
    table = _install(run_cli, fake_api, "-o", "table")
    assert table.exit_code == 0 and "created Deployment istio-system/istiod" in table.stdout
    fake_api.reset_counters()
    bad = _install(run_cli, fake_api, "-o", "xml")
    assert bad.exit_code == 64 and bad.stderr.count("\n") == 1 and "-o/--output" in bad.stderr
    assert _writes(fake_api) == 0


def test_uninstall_json(run_cli: Any, fake_api: Any) -> None:
    nothing = run_cli("uninstall", "-y", "-o", "json", *_kc(fake_api))
    assert nothing.exit_code == 0 and json.loads(nothing.stdout) == []
    assert _install(run_cli, fake_api).exit_code == 0

    plan = run_cli("uninstall", "--dry-run", "-o", "yaml", *_kc(fake_api))
    assert plan.exit_code == 0, plan.stderr
    planned = yaml.safe_load(plan.stdout)
    assert _row(planned, "Deployment", "istiod") == {**ISTIOD, "action": "would-delete"}
    assert _istiod(fake_api) is not None

    done = run_cli("uninstall", "-y", "-o", "json", *_kc(fake_api))
    assert done.exit_code == 0, done.stderr
    rows = json.loads(done.stdout)
    assert [(r["kind"], r["name"]) for r in rows] == [(r["kind"], r["name"]) for r in planned]
    assert _row(rows, "Deployment", "istiod")["action"] == "deleted"
    assert _istiod(fake_api) is None


def test_readiness_error_names_the_configured_timeout() -> None:
    deployment = {"kind": "Deployment", "metadata": {"name": "istiod", "namespace": SYSTEM}}
    with pytest.raises(Exception, match=r"not ready within 5s: Deployment istio-system/istiod"):
        wait_ready(lambda obj: None, [deployment], 0.0, sleep=lambda s: None, reported=5.0)
    with pytest.raises(Exception, match=r"not ready within 0\.5s"):
        wait_ready(lambda obj: None, [deployment], 0.5, sleep=lambda s: None)
