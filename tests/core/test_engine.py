"""The rule engine: registry, IST0001 on analyzer failure, suppression, dedup, thresholds."""

from __future__ import annotations

import pytest

from meshctl.analysis.context import Context, Environment, UndeclaredInput
from meshctl.analysis.engine import run_analyzers
from meshctl.analysis.message import Message
from meshctl.analysis.registry import Analyzer, select
from meshctl.analysis.result import Result, Suppression, annotation_suppressed, finalize
from meshctl.catalogue import Level, catalogue
from meshctl.errors import ExitCode, UsageError
from meshctl.mesh import load_mesh_config, load_mesh_networks
from meshctl.resource import Origin, Resource
from meshctl.snapshot import Snapshot


def _svc(name: str, ns: str = "default", annotations: dict | None = None) -> Resource:
    meta = {"name": name, "namespace": ns, "annotations": annotations or {}}
    return Resource.from_dict({"apiVersion": "v1", "kind": "Service", "metadata": meta},
                              Origin(path="f.yaml", line=3))


def _env() -> Environment:
    return Environment(load_mesh_config(None), load_mesh_networks(None))


class Boom(Analyzer):
    """Always fails."""

    name = "test.Boom"
    inputs = ("Service",)
    codes = ("IST0118",)

    def analyze(self, ctx: Context) -> None:
        raise ValueError("kaboom")


class Sneaky(Analyzer):
    """Reads a kind it did not declare."""

    name = "test.Sneaky"
    inputs = ("Service",)
    codes = ("IST0118",)

    def analyze(self, ctx: Context) -> None:
        ctx.resources.of_kind("Pod")


def test_failing_analyzer_becomes_internal_error_and_run_goes_on() -> None:
    from meshctl.analyzers.service.portname import PortNameAnalyzer

    svc = Resource.from_dict({"apiVersion": "v1", "kind": "Service",
                              "metadata": {"name": "s", "namespace": "d"},
                              "spec": {"ports": [{"name": "x", "port": 1}]}})
    run = run_analyzers(Snapshot([svc]), [Boom, PortNameAnalyzer], _env())
    codes = [m.code for m in run.messages]
    assert codes == ["IST0001", "IST0118"]
    assert "kaboom" in run.messages[0].text and run.messages[0].origin == "test.Boom"


def test_undeclared_input_is_caught() -> None:
    with pytest.raises(UndeclaredInput):
        Sneaky().analyze(Context(Snapshot([]), _env(), Sneaky.name, Sneaky.inputs))


def test_unavailable_inputs_skip_analyzer() -> None:
    run = run_analyzers(Snapshot([]), [Boom], _env(), unavailable=frozenset({"Service"}))
    assert run.messages == [] and "Service" in run.skipped["test.Boom"]


def test_select_unknown_analyzer_is_usage_error() -> None:
    with pytest.raises(UsageError):
        select(["no.SuchAnalyzer"])


def _msg(code: str, res: Resource, **params: object) -> Message:
    return Message.build(code, res, params)


def test_dedup_keeps_messages_that_differ_in_parameters() -> None:
    res = _svc("a")
    msgs = [_msg("IST0118", res, port=80, port_name="a"), _msg("IST0118", res, port=80, port_name="a"),
            _msg("IST0118", res, port=81, port_name="b")]
    assert len(finalize(msgs)) == 2


def test_suppression_by_flag_and_annotation() -> None:
    quiet = _svc("quiet", annotations={"galley.istio.io/analyze-suppress": "IST0118"})
    loud = _svc("loud")
    msgs = [_msg("IST0118", quiet, port=1, port_name="x"), _msg("IST0118", loud, port=1, port_name="x"),
            _msg("IST0101", loud, ref_kind="Service", ref_name="x")]
    kept = finalize(msgs, [Suppression.parse("IST01*=Service default/lo*")],
                    annotation_suppressed([quiet, loud]))
    assert kept == []
    kept = finalize(msgs, [], annotation_suppressed([quiet, loud]))
    assert sorted(m.origin for m in kept) == ["Service default/loud", "Service default/loud"]


def test_bad_suppression_is_usage_error() -> None:
    with pytest.raises(UsageError):
        Suppression.parse("IST0101")


def test_thresholds_decide_exit_code_and_output() -> None:
    info = _msg("IST0118", _svc("a"), port=1, port_name="x")
    assert Result([info]).exit_code == ExitCode.OK
    assert Result([info], failure_threshold=Level.INFO).exit_code == ExitCode.FINDINGS
    assert Result([info], output_threshold=Level.WARNING).shown == []


def test_catalogue_matches_istio_levels_and_never_uses_retired(shared_istio) -> None:
    import csv

    rows = list(csv.DictReader((shared_istio / "messages.tsv").open(), delimiter="\t"))
    retired = {r["code"] for r in csv.DictReader((shared_istio / "retired_messages.tsv").open(), delimiter="\t")}
    cat = catalogue()
    for row in rows:
        assert cat[row["code"]].name == row["name"] and cat[row["code"]].level.label == row["level"]
    assert not retired & set(cat)


def test_catalogue_own_codes_use_own_prefix() -> None:
    for code in catalogue():
        assert code.startswith(("IST", "MSH")), code
