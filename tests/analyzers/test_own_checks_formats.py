"""Every fixture case of our own (MSH) checks, run through the CLI: json, sarif (with lines) and junit agree."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from .test_grid import _case_files, load_case


def _own_cases() -> list[Path]:
    """Fixture files expecting MSH codes whose header needs nothing the CLI cannot express."""
    cases = []
    for path in _case_files():
        header, _ = load_case(path)
        codes = [e["code"] for e in header.get("expected") or []]
        plain = not (header.get("meshConfig") or header.get("options") or header.get("now"))
        if plain and any(c.startswith("MSH") for c in codes):
            cases.append(path)
    return cases


@pytest.mark.parametrize("path", _own_cases(), ids=lambda p: p.name)
def test_own_findings_in_every_format(run_cli, path: Path) -> None:
    header, _ = load_case(path)
    base = ("analyze", "--use-kube=false", "-f", str(path), "--analyzer", header["analyzer"])
    want = Counter((e["code"], e["resource"]) for e in header["expected"])
    as_json = run_cli(*base, "-o", "json")
    messages = json.loads(as_json.stdout)
    assert Counter((m["code"], m["origin"]) for m in messages) == want
    sarif = run_cli(*base, "-o", "sarif")
    results = json.loads(sarif.stdout)["runs"][0]["results"]
    lines = sorted(r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results)
    assert lines == sorted(int(m["reference"].rsplit(":", 1)[1]) for m in messages)
    assert all(line > 1 for line in lines)  # the header document is line 1: findings point at their resources
    junit = run_cli(*base, "-o", "junit")
    suites = ET.fromstring(junit.stdout)
    errors = sum(1 for m in messages if m["level"] == "Error")
    assert int(suites.get("failures", "0")) == errors
    assert as_json.exit_code == sarif.exit_code == junit.exit_code == (79 if errors else 0)


def _all_own_cases() -> list[Path]:
    return [p for p in _case_files()
            if any(e["code"].startswith("MSH") for e in load_case(p)[0].get("expected") or [])]


@pytest.mark.parametrize("path", _all_own_cases(), ids=lambda p: p.name)
def test_own_findings_render_with_lines(path: Path, tmp_path: Path) -> None:
    """Cases that need a clock, mesh config or options: the same checks through the renderers."""
    from datetime import datetime

    import yaml

    from meshctl.analysis.pipeline import AnalyzeRequest, analyze
    from meshctl.report import renderer

    header, resources = load_case(path)
    mesh_file = None
    if header.get("meshConfig"):
        mesh_file = tmp_path / "mesh.yaml"
        mesh_file.write_text(yaml.safe_dump(header["meshConfig"]))
    extra: dict = {}
    if header.get("now"):
        now = datetime.fromisoformat(str(header["now"]).replace("Z", "+00:00"))
        extra["clock"] = lambda: now
    req = AnalyzeRequest(analyzers=[header["analyzer"]], options=dict(header.get("options") or {}),
                         mesh_config_file=str(mesh_file) if mesh_file else None, **extra)
    result = analyze(req, extra=resources)
    messages = json.loads(renderer("json")(result))
    want = Counter((e["code"], e["resource"]) for e in header["expected"])
    assert Counter((m["code"], m["origin"]) for m in messages) == want
    sarif = json.loads(renderer("sarif")(result))["runs"][0]["results"]
    from_files = [m for m in messages if m["reference"]]
    located = [r for r in sarif if "physicalLocation" in r["locations"][0]]
    assert len(located) == len(from_files)
    assert all(r["locations"][0]["physicalLocation"]["region"]["startLine"] > 1 for r in located)
    suites = ET.fromstring(renderer("junit")(result))
    assert int(suites.get("failures", "0")) == sum(1 for m in messages if m["level"] == "Error")
