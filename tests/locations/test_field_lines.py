"""Findings point at the line of the field they are about, in every output format, through the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import yaml

from meshctl.sources.lines import field_line

MANIFEST = """\
# routes for web
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: web
  namespace: default
spec:
  hosts:
  - web
  http:
  - match:
    - uri:
        regex: "(("
    route:
    - destination:
        host: web
      weight: 90
    - destination:
        host: nowhere
      weight: 10
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: default
  annotations:
    networking.istio.io/not-an-annotation: "x"
spec:
  selector: {app: web}
  ports:
  - name: http
    port: 80
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: web
  namespace: default
spec:
  host: web
  trafficPolicy:
    loadBalancer:
      simple: FASTEST
"""
ANALYZERS = ("schema.ValidationAnalyzer.VirtualService", "schema.ValidationAnalyzer.DestinationRule",
             "virtualservice.DestinationHostAnalyzer", "annotations.K8sAnalyzer")


def _line(text: str, needle: str) -> int:
    """The 1-based line of the only line containing ``needle``."""
    found = [i for i, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(found) == 1, (needle, found)
    return found[0]


EXPECTED = {  # (code, what the finding is about) -> the line it must point at
    ("IST0106", "spec.http[0].match[0].uri.regex"): _line(MANIFEST, 'regex: "(("'),
    ("IST0101", "spec.http[0].route[1].destination.host"): _line(MANIFEST, "host: nowhere"),
    ("IST0106", "spec.trafficPolicy.loadBalancer.simple"): _line(MANIFEST, "simple: FASTEST"),
    ("IST0108", "metadata.annotations.networking.istio.io/not-an-annotation"):
        _line(MANIFEST, "not-an-annotation"),
}


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    path = tmp_path / "mesh.yaml"
    path.write_text(MANIFEST)
    return path


def _run(run_cli, path: str, fmt: str, stdin: str | None = None):
    args = ["analyze", "--use-kube=false", "-f", path, "-o", fmt]
    for name in ANALYZERS:
        args += ["--analyzer", name]
    res = run_cli(*args, stdin=stdin)
    assert res.exit_code == 79, res.stderr
    return res


def _json_lines(stdout: str) -> dict[tuple[str, str], str]:
    return {(m["code"], m["path"]): m["reference"] for m in json.loads(stdout)}


def test_json_references_point_at_fields(run_cli, manifest: Path) -> None:
    got = _json_lines(_run(run_cli, str(manifest), "json").stdout)
    assert got == {key: f"{manifest}:{line}" for key, line in EXPECTED.items()}


def test_yaml_references_point_at_fields(run_cli, manifest: Path) -> None:
    got = {(m["code"], m["path"]): m["reference"] for m in yaml.safe_load(_run(run_cli, str(manifest), "yaml").stdout)}
    assert got == {key: f"{manifest}:{line}" for key, line in EXPECTED.items()}


def test_log_lines_name_file_and_field_line(run_cli, manifest: Path) -> None:
    out = _run(run_cli, str(manifest), "log").stdout
    refs = re.findall(r"\[(IST\d{4})\] \([^)]* " + re.escape(str(manifest)) + r":(\d+)\)", out)
    assert sorted((code, int(line)) for code, line in refs) == sorted((c, n) for (c, _), n in EXPECTED.items())


def test_table_location_column(run_cli, manifest: Path) -> None:
    out = _run(run_cli, str(manifest), "table").stdout
    for (code, _), line in EXPECTED.items():
        assert any(code in row and f"{manifest}:{line}" in row for row in out.splitlines()), (code, line, out)


def test_sarif_regions_start_at_field_lines(run_cli, manifest: Path) -> None:
    results = json.loads(_run(run_cli, str(manifest), "sarif").stdout)["runs"][0]["results"]
    got = sorted((r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results)
    assert got == sorted((c, n) for (c, _), n in EXPECTED.items())
    assert all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == str(manifest) for r in results)


def test_junit_failures_carry_field_lines(run_cli, manifest: Path) -> None:
    suites = ET.fromstring(_run(run_cli, str(manifest), "junit").stdout)
    texts = [f.text or "" for f in suites.iter("failure")]
    for (code, _), line in EXPECTED.items():
        if code == "IST0108":  # a warning: below the failure threshold, in system-out
            assert any(f"{manifest}:{line}" in (s.text or "") for s in suites.iter("system-out"))
        else:
            assert any(code in t and f"{manifest}:{line}" in t for t in texts), (code, line)


def test_stdin_points_at_fields(run_cli) -> None:
    got = _json_lines(_run(run_cli, "-", "json", stdin=MANIFEST).stdout)
    assert got == {key: f"-:{line}" for key, line in EXPECTED.items()}


def test_list_items_and_json_files(run_cli, tmp_path: Path) -> None:
    docs = list(yaml.safe_load_all(MANIFEST))
    listed = tmp_path / "list.yaml"
    listed.write_text(yaml.safe_dump({"apiVersion": "v1", "kind": "List", "items": docs}, sort_keys=False))
    as_json = tmp_path / "mesh.json"
    as_json.write_text(json.dumps(docs, indent=2))
    for path in (listed, as_json):
        text = path.read_text()
        got = _json_lines(_run(run_cli, str(path), "json").stdout)
        assert got[("IST0106", "spec.http[0].match[0].uri.regex")] == f"{path}:{_line(text, '((')}"
        assert got[("IST0101", "spec.http[0].route[1].destination.host")] == f"{path}:{_line(text, 'nowhere')}"


def test_missing_field_points_at_its_parent(run_cli, tmp_path: Path) -> None:
    text = ("apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: gw, namespace: default}\n"
            "spec:\n  selector: {istio: ingressgateway}\n  servers:\n"
            "  - port: {number: 80, name: http, protocol: HTTP}\n")
    path = tmp_path / "gw.yaml"
    path.write_text(text)
    res = run_cli("analyze", "--use-kube=false", "-f", str(path), "-o", "json",
                  "--analyzer", "schema.ValidationAnalyzer.Gateway")
    (finding,) = json.loads(res.stdout)
    assert finding["path"] == "spec.servers[0].hosts"  # required, absent: the server's line
    assert finding["reference"] == f"{path}:{_line(text, '- port:')}"


def test_findings_without_a_field_point_at_the_document(tmp_path: Path) -> None:
    from meshctl.analysis.message import Message
    from meshctl.sources.files import load_paths

    path = tmp_path / "mesh.yaml"
    path.write_text(MANIFEST)
    service = load_paths([str(path)])[1]
    msg = Message.build("IST0118", service, {"port": 80, "port_name": "http"})
    assert msg.reference == f"{path}:{_line(MANIFEST, 'kind: Service') - 1}"


def test_document_line_when_the_file_changed_since_loading(tmp_path: Path) -> None:
    from meshctl.analysis.message import Message
    from meshctl.sources.files import load_paths

    path = tmp_path / "mesh.yaml"
    path.write_text(MANIFEST)
    vs = load_paths([str(path)])[0]
    path.write_text("kind: Nothing\n")
    msg = Message.build("IST0101", vs, {"ref_kind": "host", "ref_name": "x"}, path="spec.http[0]")
    assert msg.reference == f"{path}:{_line(MANIFEST, 'kind: VirtualService') - 1}"


@pytest.mark.parametrize(("path", "line"), [
    ("spec.http[0].route[1].destination.host", _line(MANIFEST, "host: nowhere")),
    ("spec.http[0].route[1]", _line(MANIFEST, "host: nowhere") - 1),  # the item's "- destination:"
    ("spec.http[0].route[7].destination", _line(MANIFEST, "route:")),  # no such item: the list's field
    ("spec.hostz", _line(MANIFEST.split("---")[0], "spec:")),  # no such field: the deepest one that exists
    ("", _line(MANIFEST, "kind: VirtualService") - 1),
])
def test_field_line_paths(path: str, line: int) -> None:
    assert field_line(yaml.compose(MANIFEST.split("---")[0]), path) + 1 == line


@pytest.mark.parametrize("path", ["metadata.annotations.networking.istio.io/not-an-annotation",
                                  "metadata.annotations[networking.istio.io/not-an-annotation]"])
def test_keys_with_dots_or_in_brackets(path: str) -> None:
    service = MANIFEST.split("---")[1]
    assert field_line(yaml.compose(service), path) + 1 == _line(service, "not-an-annotation")


def test_crlf_line_endings_and_content_on_the_marker_line(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "crlf.yaml"
    path.write_bytes(("---\n" + MANIFEST).replace("\n", "\r\n").encode())
    got = _json_lines(_run(run_cli, str(path), "json").stdout)
    assert got == {key: f"{path}:{line + 1}" for key, line in EXPECTED.items()}
    inline = tmp_path / "inline.yaml"
    text = "--- {apiVersion: v1, kind: Service, metadata: {name: a, namespace: default}}\n---\n" + MANIFEST
    inline.write_text(text)
    got = _json_lines(_run(run_cli, str(inline), "json").stdout)
    assert got[("IST0101", "spec.http[0].route[1].destination.host")] == f"{inline}:{_line(text, 'nowhere')}"
