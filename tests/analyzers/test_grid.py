"""Our own analyzer fixtures: one YAML file per case, in one parametrized grid.

Each file under ``fixtures/`` starts with a header document::

    kind: AnalyzerCase
    analyzer: service.PortNameAnalyzer
    meshConfig: {}            # optional, merged over the defaults
    options: {}               # optional, Environment.options
    now: "2026-01-01T00:00:00Z"   # optional, the injected clock
    expected:
    - {code: IST0118, resource: Service default/foo}

followed by the input resources. An empty ``expected`` is a passing case.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from meshctl.analysis.pipeline import AnalyzeRequest, analyze
from meshctl.sources.files import parse_text

FIXTURES = Path(__file__).parent / "fixtures"


def _case_files() -> list[Path]:
    return sorted(FIXTURES.rglob("*.yaml"))


def load_case(path: Path) -> tuple[dict, list]:
    """The header and the resources of one fixture file."""
    resources = parse_text(path.read_text(), str(path))
    header = next(r for r in resources if r.kind == "AnalyzerCase")
    return header.body, [r for r in resources if r.kind != "AnalyzerCase"]


def run_case(header: dict, resources: list, tmp_path: Path) -> Counter:
    """Run one case and count (code, origin) pairs."""
    mesh_file = None
    if header.get("meshConfig"):
        mesh_file = tmp_path / "mesh.yaml"
        mesh_file.write_text(yaml.safe_dump(header["meshConfig"]))
    clock = None
    if header.get("now"):
        now = datetime.fromisoformat(str(header["now"]).replace("Z", "+00:00"))
        clock = lambda: now  # noqa: E731
    req = AnalyzeRequest(analyzers=[header["analyzer"]], mesh_config_file=str(mesh_file) if mesh_file else None,
                         options=dict(header.get("options") or {}), **({"clock": clock} if clock else {}))
    result = analyze(req, extra=resources)
    return Counter((m.code, m.origin) for m in result.messages)


@pytest.mark.parametrize("path", _case_files(), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture(path: Path, tmp_path: Path) -> None:
    header, resources = load_case(path)
    want = Counter((e["code"], e["resource"]) for e in header.get("expected") or [])
    assert run_case(header, resources, tmp_path) == want


def test_fixtures_header_has_analyzer() -> None:
    for path in _case_files():
        header, _ = load_case(path)
        assert header.get("analyzer"), path
