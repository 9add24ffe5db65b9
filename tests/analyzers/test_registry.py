"""Meta-tests over the analyzer registry."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

from meshctl.analysis.registry import all_analyzers
from meshctl.catalogue import catalogue
from meshctl.kinds import KINDS

from .test_grid import _case_files, load_case

REPORT_CODE = re.compile(r"""report\(\s*["']((?:IST|MSH)\d{4})["']""")


def test_names_unique_and_aliases_unique() -> None:
    seen: set[str] = set()
    for cls in all_analyzers().values():
        for name in (cls.name, *cls.aliases):
            assert name not in seen, name
            seen.add(name)


def test_declared_codes_are_in_catalogue() -> None:
    codes = catalogue()
    for cls in all_analyzers().values():
        assert cls.codes, f"{cls.name} declares no codes"
        for code in cls.codes:
            assert code in codes, f"{cls.name}: {code} not in catalogue"


def test_reported_codes_are_declared() -> None:
    for cls in all_analyzers().values():
        source = Path(inspect.getfile(cls)).read_text()
        for code in REPORT_CODE.findall(source):
            assert code in cls.codes, f"{cls.name} reports {code} but does not declare it"


def test_inputs_are_known_kinds() -> None:
    for cls in all_analyzers().values():
        for kind in cls.inputs:
            assert kind in KINDS or kind in ("MeshConfig", "MeshNetworks"), f"{cls.name}: {kind}"


def test_every_analyzer_has_docstring() -> None:
    for cls in all_analyzers().values():
        assert cls.description(), cls.name
        ast.parse(inspect.getsource(cls))


def test_every_analyzer_has_fixture_cases() -> None:
    covered = {load_case(p)[0]["analyzer"] for p in _case_files()}
    missing = [name for name in all_analyzers() if name not in covered]
    assert not missing, f"analyzers without fixtures: {missing}"
