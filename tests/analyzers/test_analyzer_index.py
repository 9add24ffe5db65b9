"""The analyzer index (meshctl/analyzers/index.json) is current, and the pipeline's use of it changes nothing."""

from __future__ import annotations

import subprocess
import sys

from meshctl.analysis import analyzer_index
from meshctl.analysis.registry import all_analyzers


def test_index_is_current() -> None:
    assert analyzer_index.FILE.read_text(encoding="utf-8") == analyzer_index.render(), \
        "meshctl/analyzers/index.json is stale: run python -m meshctl.analysis.analyzer_index"


def test_index_lists_every_registered_analyzer() -> None:
    specs = analyzer_index.indexed()
    assert specs is not None
    assert set(specs) == set(all_analyzers())
    for name, cls in all_analyzers().items():
        assert specs[name].inputs == tuple(cls.inputs)
        assert specs[name].load() is cls


def test_a_new_analyzer_module_makes_the_index_stale(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(analyzer_index, "module_names", lambda: ["meshctl.analyzers.somewhere.new"])
    analyzer_index.indexed.cache_clear()
    try:
        assert analyzer_index.indexed() is None
        assert set(analyzer_index.specs()) == set(all_analyzers())  # the registry decides
    finally:
        analyzer_index.indexed.cache_clear()


def test_a_quiet_analyzer_is_one_that_reports_over_its_objects(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """MeshNetworksAnalyzer reads only the mesh networks when no Secret is given: it is quiet in the
    default environment, yet with a mesh networks file it still runs and reports."""
    spec = analyzer_index.specs()["meshnetworks.MeshNetworksAnalyzer"]
    assert spec.quiet
    networks = tmp_path / "networks.yaml"
    networks.write_text("networks:\n  n1:\n    endpoints:\n    - fromRegistry: nowhere\n")
    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    from meshctl.analysis.pipeline import AnalyzeRequest, analyze

    result = analyze(AnalyzeRequest(files=[str(empty)], mesh_networks_file=str(networks)))
    assert [m.code for m in result.messages] == ["IST0126"]


def test_an_empty_input_imports_no_analyzer(tmp_path) -> None:  # type: ignore[no-untyped-def]
    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    code = ("import sys\nfrom meshctl.__main__ import main\n"
            f"status = main(['analyze', '--use-kube=false', '-f', {str(empty)!r}])\n"
            "print(status, sorted(m for m in sys.modules if m.startswith('meshctl.analyzers.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[-1] == "0 []"


def test_objects_import_the_analyzers_of_their_kinds(tmp_path) -> None:  # type: ignore[no-untyped-def]
    vs = tmp_path / "vs.yaml"
    vs.write_text("apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: a, namespace: d}\n"
                  "spec: {hosts: [a], http: [{route: [{destination: {host: nowhere}}]}]}\n")
    code = ("import sys\nfrom meshctl.__main__ import main\n"
            f"status = main(['analyze', '--use-kube=false', '-f', {str(vs)!r}, '-o', 'json'])\n"
            "print(sorted(m for m in sys.modules if m.startswith('meshctl.analyzers.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
    imported = set(eval(out.splitlines()[-1]))  # noqa: S307 - our own printed list
    wanted = {s.module for s in analyzer_index.specs().values() if "VirtualService" in s.inputs and s.default}
    assert wanted <= imported
    assert "IST0101" in out
