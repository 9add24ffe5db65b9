"""Istio's injection table (``../shared/istio/inject/cases``) through ``meshctl kube-inject``.

Each case runs as ``cases.json`` says: ``-f input.yaml``, ``--valuesFile`` and
``--meshConfigFile`` when the case has them, ``--native-sidecar`` when it says so; the
output is compared with Istio's golden as :mod:`tests.inject.istio_compare` describes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SHARED_ISTIO
from tests.inject.istio_compare import comparable, differences

CASES_DIR = SHARED_ISTIO / "inject" / "cases"


def _cases() -> list[Any]:
    index = CASES_DIR / "cases.json"
    if not index.is_file():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"{CASES_DIR} is absent"), id="absent")]
    cases = json.loads(index.read_text(encoding="utf-8"))["cases"]
    return [pytest.param(c, id=f"{c['dir']}-{c['name']}") for c in cases]


def command(case: dict[str, Any], where: Path) -> list[str]:
    """The kube-inject command line for a case."""
    args = ["kube-inject", "-f", str(where / "input.yaml")]
    if case.get("values"):
        args += ["--valuesFile", str(where / case["values"])]
    if case.get("mesh"):
        args += ["--meshConfigFile", str(where / case["mesh"])]
    if case.get("nativeSidecar"):
        args.append("--native-sidecar")
    return args


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No kubeconfig anywhere: every value comes from the case's files and the chart's defaults."""
    for var in ("KUBECONFIG", "KUBERNETES_SERVICE_HOST"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))


@pytest.mark.parametrize("case", _cases())
def test_istio_injection_case(case: dict[str, Any], run_cli: Any, offline: None) -> None:
    where = CASES_DIR / case["dir"]
    result = run_cli(*command(case, where))
    if case.get("expectedError"):
        assert result.exit_code == 65, result.stdout + result.stderr
        assert case["expectedError"].lower() in result.stderr.lower(), result.stderr
        assert result.stderr.strip().count("\n") == 0, result.stderr
        return
    assert result.exit_code == 0, result.stderr
    ours, gold = comparable(result.stdout, (where / "want.yaml").read_text(encoding="utf-8"))
    assert len(ours) == len(gold), f"{len(ours)} documents, want {len(gold)}"
    problems = differences(ours, gold)
    assert not problems, "\n".join(problems[:40])
    if case.get("expectHostNetworkWarning"):
        assert "host network" in result.stderr.lower(), result.stderr
