"""One home for each convention: the ``-o`` option is declared once, label names are spelled once,
and plain data is rendered by one output layer."""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator
from pathlib import Path

import yaml

from meshctl.report.data import render_data, table, to_yaml
from tests.conftest import REPO

PACKAGE = REPO / "meshctl"
#: Names with one home, ``meshctl/conventions/labels.py``.
LABEL_NAMES = {"istio.io/rev", "istio.io/tag", "istio-injection", "sidecar.istio.io/inject",
               "sidecar.istio.io/status", "istio.io/dataplane-mode"}
#: Modules that still spell a label out or declare their own ``-o``; their owners are moving them to
#: the one home. These lists may only shrink: a test fails when an entry is no longer needed.
KNOWN_LABEL_SPELLINGS: set[str] = set()
KNOWN_OUTPUT_OPTIONS: set[str] = set()
ONE_OUTPUT_DEFINITION = "meshctl/cli/options.py"


def _trees() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        yield str(path.relative_to(REPO)), ast.parse(path.read_text(encoding="utf-8"))


def _declares_output(tree: ast.Module) -> bool:
    return any(isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "Option"
               and {"-o", "--output"} & {a.value for a in node.args if isinstance(a, ast.Constant)}
               for node in ast.walk(tree))


def _spells_labels(tree: ast.Module) -> set[str]:
    return {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and n.value in LABEL_NAMES}


def test_one_output_option_definition() -> None:
    declaring = {name for name, tree in _trees() if _declares_output(tree)}
    assert ONE_OUTPUT_DEFINITION in declaring, "the one -o definition moved: update this test"
    assert declaring - {ONE_OUTPUT_DEFINITION} <= KNOWN_OUTPUT_OPTIONS, "declare -o with options.output_option"
    assert not KNOWN_OUTPUT_OPTIONS - declaring, "remove from KNOWN_OUTPUT_OPTIONS"


def test_label_names_spelled_only_in_conventions() -> None:
    spelling = {name for name, tree in _trees() if _spells_labels(tree)}
    home = "meshctl/conventions/labels.py"
    assert home in spelling
    assert spelling - {home} <= KNOWN_LABEL_SPELLINGS, "use meshctl.conventions.labels"
    assert not KNOWN_LABEL_SPELLINGS - spelling, "remove from KNOWN_LABEL_SPELLINGS"


def test_one_yaml_style_never_folds_and_keeps_order() -> None:
    data = [{"zeta": "x" * 200, "alpha": ["a", "b"], "nested": {"k": 1}}]
    text = to_yaml(data)
    assert len(text.splitlines()[0]) > 200, "long values are not folded"
    assert text.index("zeta") < text.index("alpha"), "keys keep their order"
    assert "[" not in text, "block style"
    assert yaml.safe_load(text) == data
    assert json.loads(render_data(data, "json")) == data
    assert render_data(data, "json").startswith('[\n  {\n    "zeta"')


def test_tables_align_like_tabwriter() -> None:
    rows = [{"a": "x", "b": ["p", "q"], "c": None}, {"a": "longer", "b": True, "c": 3}]
    assert table(rows, (("A", "a"), ("B", "b"), ("C", "c"))).splitlines() == [
        "A        B      C", "x        p,q    ", "longer   true   3"]


def test_commands_with_plain_data_share_the_style(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    as_yaml = run_cli("version", "-o", "yaml").stdout
    assert as_yaml == to_yaml(json.loads(run_cli("version", "-o", "json").stdout))
    bad = run_cli("version", "-o", "xml")
    assert bad.exit_code == 64 and "unknown output format 'xml'" in bad.stderr
