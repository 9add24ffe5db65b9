"""check-inject: the shared istioctl cases, the CLI's formats and exit statuses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from meshctl.analysis.selectors import label_selector_matches as selector_matches
from meshctl.inject.webhooks import analyze

SHARED = Path(__file__).resolve().parents[3] / "shared" / "istio" / "checkinject"


def _cases() -> list[dict[str, Any]]:
    path = SHARED / "cases.json"
    return json.loads(path.read_text())["cases"] if path.is_file() else []


@pytest.fixture
def webhooks(shared_istio: Path) -> list[dict[str, Any]]:
    spec = json.loads((shared_istio / "checkinject" / "cases.json").read_text())
    return [yaml.safe_load((shared_istio / f).read_text()) for f in spec["webhookFiles"]]


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c["name"])
def test_shared_cases(webhooks: list[dict[str, Any]], case: dict[str, Any]) -> None:
    got = [v.as_dict() for v in analyze(webhooks, case["pod"]["labels"], case["namespace"]["labels"])]
    assert got == case["expected"]


def _files(tmp_path: Path, shared_istio: Path, ns_labels: dict[str, str], pods: list[dict[str, Any]]) -> str:
    docs = [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "test1", "labels": ns_labels}}]
    docs += [{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": p["name"], "namespace": "test1",
                                                              "labels": p["labels"]},
              "spec": {"containers": [{"name": "a", "image": "a"}]}} for p in pods]
    (tmp_path / "objs.yaml").write_text(yaml.safe_dump_all(docs))
    for f in (shared_istio / "checkinject" / "testdata" / "check-inject").iterdir():
        (tmp_path / f.name).write_text(f.read_text())
    return str(tmp_path)


def test_cli_table_like_istioctl(run_cli: Any, tmp_path: Path, shared_istio: Path) -> None:
    files = _files(tmp_path, shared_istio, {"istio.io/rev": "1-16"}, [{"name": "p", "labels": {}}])
    res = run_cli("check-inject", "-f", files, "-n", "test1", "p")
    assert res.exit_code == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0].split() == ["WEBHOOK", "REVISION", "INJECTED", "REASON"]
    assert lines[2].split()[:3] == ["istio-sidecar-injector-1-16", "1-16", "\u2714"]
    assert lines[2].endswith("Namespace label istio.io/rev=1-16 matches")


def test_cli_json_and_failure_threshold(run_cli: Any, tmp_path: Path, shared_istio: Path) -> None:
    files = _files(tmp_path, shared_istio, {}, [{"name": "a", "labels": {"app": "x"}},
                                               {"name": "b", "labels": {"sidecar.istio.io/inject": "true"}}])
    res = run_cli("check-inject", "-f", files, "-l", "app=x", "-o", "json")
    assert res.exit_code == 0
    rows = json.loads(res.stdout)
    assert {r["pod"] for r in rows} == {"a"} and not any(r["injected"] for r in rows)
    failing = run_cli("check-inject", "-f", files, "-o", "json", "--failure-threshold", "Warning")
    assert failing.exit_code == 79
    assert run_cli("check-inject", "-f", files, "b", "--failure-threshold", "Warning").exit_code == 0
    sarif = run_cli("check-inject", "-f", files, "-o", "sarif")
    assert "MSH0602" in sarif.stdout


def test_multiple_injectors_fail_by_default(run_cli: Any, tmp_path: Path, shared_istio: Path) -> None:
    files = _files(tmp_path, shared_istio, {"istio-injection": "enabled"}, [{"name": "p", "labels": {}}])
    twin = yaml.safe_load((Path(files) / "rev-16-injector.yaml").read_text())
    twin["webhooks"][0]["namespaceSelector"] = {"matchLabels": {"istio-injection": "enabled"}}
    (Path(files) / "rev-16-injector.yaml").write_text(yaml.safe_dump(twin))
    res = run_cli("check-inject", "-f", files, "p")
    assert res.exit_code == 79
    assert "ERROR: multiple webhooks will inject" in res.stdout


def test_selector_semantics() -> None:
    sel = {"matchExpressions": [{"key": "a", "operator": "NotIn", "values": ["x"]}],
           "matchLabels": {"b": "1"}}
    assert selector_matches(sel, {"b": "1"})
    assert not selector_matches(sel, {"a": "x", "b": "1"})
    assert selector_matches(None, {})
