"""The typed catalogue: every message is built with exactly its template's parameters, and
retired codes are never used again."""

from __future__ import annotations

import ast
import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from meshctl.catalogue import MessageParamsError, catalogue, message_type, retired_codes, template_params
from tests.conftest import REPO

#: The builders of messages: ``ctx.report(CODE, resource, path=, origin=, **params)``,
#: precheck's ``finding(CODE, resource, origin=, **params)`` and ``Message.build(CODE, res, {params})``.
NOT_PARAMS = {"report": {"path", "origin"}, "finding": {"origin"}}


def _calls() -> Iterator[tuple[str, int, str, set[str], bool]]:
    """(file, line, code, parameter names, open-ended) for every message built with a literal code."""
    for path in sorted((REPO / "meshctl").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {target.id: node.value.value for node in tree.body if isinstance(node, ast.Assign)
                     and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
                     for target in node.targets if isinstance(target, ast.Name)}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            first = node.args[0]
            code = (first.value if isinstance(first, ast.Constant)
                    else constants.get(first.id) if isinstance(first, ast.Name) else None)
            if not isinstance(code, str) or code not in catalogue():
                continue
            where = str(path.relative_to(REPO))
            if name in NOT_PARAMS:
                given = {k.arg for k in node.keywords if k.arg and k.arg not in NOT_PARAMS[name]}
                yield where, node.lineno, code, given, any(k.arg is None for k in node.keywords)
            elif name == "build" and len(node.args) > 2 and isinstance(node.args[2], ast.Dict):
                keys = node.args[2].keys
                if all(isinstance(k, ast.Constant) for k in keys):
                    yield where, node.lineno, code, {k.value for k in keys if isinstance(k, ast.Constant)}, False


def test_the_walk_finds_the_message_builders() -> None:
    found = list(_calls())
    assert len(found) > 100
    assert {c[0].split("/")[1] for c in found} >= {"analyzers", "precheck", "analysis"}


def test_every_message_is_built_with_its_templates_parameters() -> None:
    wrong = []
    for where, line, code, given, open_ended in _calls():
        wanted = message_type(code).params
        if (open_ended and not given <= wanted) or (not open_ended and given != wanted):
            wrong.append(f"{where}:{line} {code}: gives {sorted(given)}, the template names {sorted(wanted)}")
    assert not wrong, "\n".join(wrong)


def test_a_missing_or_extra_parameter_is_an_error_not_a_degraded_text() -> None:
    mtype = message_type("IST0101")
    assert mtype.params == {"ref_kind", "ref_name"}
    assert "reviews" in mtype.render({"ref_kind": "host", "ref_name": "reviews"})
    with pytest.raises(MessageParamsError, match="missing ref_name"):
        mtype.render({"ref_kind": "host"})
    with pytest.raises(MessageParamsError, match="extra port"):
        mtype.render({"ref_kind": "host", "ref_name": "reviews", "port": 80})


def test_an_analyzer_building_a_bad_message_becomes_ist0001() -> None:
    from meshctl.analysis.context import Environment
    from meshctl.analysis.engine import run_analyzers
    from meshctl.analysis.registry import Analyzer
    from meshctl.snapshot import Snapshot

    class Broken(Analyzer):
        """Builds IST0101 without its parameters."""

        name = "test.Broken"
        codes = ("IST0101",)

        def analyze(self, ctx):  # type: ignore[no-untyped-def]
            ctx.report("IST0101", None, origin="x")

    run = run_analyzers(Snapshot([]), [Broken], Environment({}, {}))
    assert [m.code for m in run.messages] == ["IST0001"]
    assert "missing ref_kind, ref_name" in run.messages[0].text


def test_template_params_ignore_escaped_braces() -> None:
    assert template_params("{a} {{literal}} {b.attr} {c[0]}") == {"a", "b", "c"}


def test_retired_codes_are_never_in_the_catalogue() -> None:
    assert retired_codes(), "the retired list is empty"
    assert not retired_codes() & catalogue().keys()


def test_no_analyzer_or_check_declares_a_retired_code() -> None:
    from meshctl.analysis.registry import all_analyzers
    from meshctl.precheck.registry import all_checks

    declared = {c for a in all_analyzers().values() for c in a.codes} | {c for k in all_checks() for c in k.codes}
    assert not declared & retired_codes()


def test_a_retired_code_cannot_come_back(monkeypatch: pytest.MonkeyPatch) -> None:
    import meshctl.catalogue as cat

    code = min(retired_codes())
    monkeypatch.setattr(cat, "retired_codes", lambda: frozenset({code, "IST0101"}))
    cat.catalogue.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="IST0101 is retired"):
            cat.catalogue()
    finally:
        cat.catalogue.cache_clear()


def test_istioctls_retired_codes_are_all_listed(shared_istio: Path) -> None:
    with (shared_istio / "retired_messages.tsv").open(encoding="utf-8") as fh:
        upstream = {row["code"] for row in csv.DictReader(fh, delimiter="\t")}
    assert upstream <= retired_codes()
