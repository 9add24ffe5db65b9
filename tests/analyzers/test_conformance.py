"""istioctl's analyzer test grid (../shared/istio/conformance), run through the CLI."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import SHARED_ISTIO

CASES_FILE = SHARED_ISTIO / "conformance" / "cases.json"


def _cases() -> list[dict]:
    if not CASES_FILE.is_file():
        return []
    return [c for c in json.loads(CASES_FILE.read_text())["cases"] if "inputFiles" in c]


def _args(case: dict, base: Path) -> list[str]:
    args = ["analyze", "--use-kube=false", "--analyzer", case["analyzer"], "-o", "json"]
    for f in case["inputFiles"]:
        args += ["-f", str(base / f)]
    if case.get("meshConfigFile"):
        args += ["--meshConfigFile", str(base / case["meshConfigFile"])]
    if case.get("meshNetworksFile"):
        args += ["--meshNetworksFile", str(base / case["meshNetworksFile"])]
    return args


@pytest.mark.parametrize("case", _cases(), ids=lambda c: f"{c['index']}-{c['name']}")
def test_conformance_case(case: dict, run_cli, shared_istio: Path) -> None:
    from meshctl.analysis.registry import all_analyzers

    names = {a for cls in all_analyzers().values() for a in (cls.name, *cls.aliases)}
    if case["analyzer"] not in names:
        pytest.skip(f"analyzer {case['analyzer']} not implemented yet")
    res = run_cli(*_args(case, shared_istio / "conformance"))
    assert res.exit_code in (0, 79), res.stderr
    got = Counter((m["code"], m["origin"]) for m in json.loads(res.stdout))
    want = Counter((e["code"], e["resource"]) for e in case["expected"])
    assert got == want
