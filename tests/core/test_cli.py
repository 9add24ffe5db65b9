"""The CLI run in-process: exit statuses, stdout and stderr in every output format."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import yaml

BAD_PORTS = """\
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  ports:
  - {name: web, port: 80}
"""


@pytest.fixture
def bad_ports(tmp_path: Path) -> Path:
    path = tmp_path / "svc.yaml"
    path.write_text(BAD_PORTS)
    return path


@pytest.mark.parametrize("fmt", ["log", "table", "json", "yaml", "sarif", "junit"])
def test_exit_code_is_the_same_in_every_format(run_cli, bad_ports: Path, fmt: str) -> None:
    clean = run_cli("analyze", "-f", str(bad_ports), "-o", fmt)
    failing = run_cli("analyze", "-f", str(bad_ports), "-o", fmt, "--failure-threshold", "Info")
    assert clean.exit_code == 0, clean.stderr
    assert failing.exit_code == 79
    assert "IST0118" in failing.stdout and failing.stderr == ""


def test_json_has_istioctl_keys(run_cli, bad_ports: Path) -> None:
    out = json.loads(run_cli("analyze", "-f", str(bad_ports), "-o", "json").stdout)
    assert out[0]["code"] == "IST0118" and out[0]["level"] == "Info"
    assert out[0]["origin"] == "Service default/web"
    assert out[0]["reference"] == f"{bad_ports}:6"  # the line of the port it is about
    assert out[0]["documentationUrl"].endswith("/ist0118/")
    assert out[0]["message"]


def test_yaml_matches_json(run_cli, bad_ports: Path) -> None:
    as_json = json.loads(run_cli("analyze", "-f", str(bad_ports), "-o", "json").stdout)
    as_yaml = yaml.safe_load(run_cli("analyze", "-f", str(bad_ports), "-o", "yaml").stdout)
    assert as_json == as_yaml


def test_sarif_has_rules_and_lines(run_cli, bad_ports: Path) -> None:
    doc = json.loads(run_cli("analyze", "-f", str(bad_ports), "-o", "sarif").stdout)
    assert doc["version"] == "2.1.0"
    run = doc["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    result = run["results"][0]
    assert result["ruleId"] == "IST0118" and rule_ids[result["ruleIndex"]] == "IST0118"
    loc = result["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == str(bad_ports) and loc["region"]["startLine"] == 6
    assert result["level"] == "note"


def test_junit_fails_only_at_threshold(run_cli, bad_ports: Path) -> None:
    passing = ET.fromstring(run_cli("analyze", "-f", str(bad_ports), "-o", "junit").stdout)
    failing = ET.fromstring(run_cli("analyze", "-f", str(bad_ports), "-o", "junit",
                                    "--failure-threshold", "info").stdout)
    assert passing.get("failures") == "0" and int(passing.get("tests", "0")) >= 1
    assert failing.get("failures") == "1"
    assert failing.find(".//failure").get("type") == "IST0118"


def test_output_threshold_hides_but_does_not_change_exit(run_cli, bad_ports: Path) -> None:
    res = run_cli("analyze", "-f", str(bad_ports), "--output-threshold", "Warning",
                  "--failure-threshold", "Info", "-o", "json")
    assert json.loads(res.stdout) == [] and res.exit_code == 79


def test_suppress_flag(run_cli, bad_ports: Path) -> None:
    res = run_cli("analyze", "-f", str(bad_ports), "-S", "IST0118=Service default/*", "-o", "json")
    assert json.loads(res.stdout) == []


def test_broken_yaml_exit_65_one_line(run_cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n")
    res = run_cli("analyze", "-f", str(bad))
    assert res.exit_code == 65
    assert res.stderr.count("\n") == 1 and str(bad) in res.stderr and "Traceback" not in res.stderr


def test_missing_path_exit_65(run_cli) -> None:
    res = run_cli("analyze", "-f", "/no/such/dir")
    assert res.exit_code == 65 and "/no/such/dir" in res.stderr


@pytest.mark.parametrize("args", [["analyze", "--bogus"], ["analyze", "-o", "xml", "-f", "."],
                                  ["analyze", "--failure-threshold", "Fatal", "-f", "."],
                                  ["nonsense-command"], ["analyze", "--cert-horizon", "soon", "-f", "."]])
def test_usage_errors_exit_64(run_cli, args: list[str]) -> None:
    res = run_cli(*args)
    assert res.exit_code == 64, res.stderr
    assert res.stderr.startswith("Error:") and "Traceback" not in res.stderr


def test_use_kube_false_spelling(run_cli, bad_ports: Path) -> None:
    res = run_cli("analyze", "--use-kube=false", "-f", str(bad_ports), "-o", "json")
    assert res.exit_code == 0 and json.loads(res.stdout)[0]["code"] == "IST0118"


def test_stdin_input(run_cli) -> None:
    res = run_cli("analyze", "-f", "-", "-o", "json", stdin=BAD_PORTS)
    assert json.loads(res.stdout)[0]["reference"] == "-:6"


def test_namespace_flag_defaults_unnamespaced_resources(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "svc.yaml"
    path.write_text(BAD_PORTS.replace(", namespace: default", ""))
    res = run_cli("analyze", "-f", str(path), "-n", "shop", "-o", "json", "--use-kube=false")
    assert json.loads(res.stdout)[0]["origin"] == "Service shop/web"


def test_list_analyzers(run_cli) -> None:
    res = run_cli("analyze", "-L")
    assert res.exit_code == 0 and "service.PortNameAnalyzer" in res.stdout and "IST0118" in res.stdout
    rows = json.loads(run_cli("analyze", "-L", "-o", "json").stdout)
    assert any(r["name"] == "service.PortNameAnalyzer" for r in rows)


def test_version_and_help(run_cli) -> None:
    assert json.loads(run_cli("version", "-o", "json").stdout)["meshctl"]
    res = run_cli("--help")
    assert res.exit_code == 0 and "analyze" in res.stdout


def test_python_dash_m_and_no_heavy_imports_at_startup() -> None:
    code = ("import sys; from meshctl.__main__ import main; rc = main(['version']);"
            "heavy = [m for m in ('kubernetes', 'httpx', 'jsonschema', 'cryptography') if m in sys.modules];"
            "print(rc, heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("0 []")
    res = subprocess.run([sys.executable, "-m", "meshctl", "version", "--short"], capture_output=True, text=True)
    assert res.returncode == 0 and res.stdout.strip()


def test_the_process_ends_with_its_status_after_flushing_and_atexit(tmp_path: Path) -> None:
    # run() ends the process with os._exit (no interpreter teardown): buffered output and atexit
    # handlers must still happen, and the status must be the command's.
    marker = tmp_path / "atexit-ran"
    code = ("import atexit, sys\nfrom pathlib import Path\nfrom meshctl.__main__ import exit_now\n"
            f"atexit.register(lambda: Path({str(marker)!r}).write_text('yes'))\n"
            "sys.stdout.write('x' * 100000)\nexit_now(3)\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.returncode == 3 and len(res.stdout) == 100000 and marker.read_text() == "yes"
    findings = subprocess.run([sys.executable, "-m", "meshctl", "analyze", "--use-kube=false", "-f", "examples/",
                               "-o", "json"], capture_output=True, text=True, cwd=Path(__file__).parents[2])
    assert findings.returncode == 79 and json.loads(findings.stdout)


def test_the_console_entry_point_runs_without_the_cyclic_collector() -> None:
    code = ("import gc, sys\nimport meshctl.__main__ as entry\n"
            "entry.main = lambda: print(gc.isenabled()) or 5\nentry.run()\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.returncode == 5 and res.stdout.strip() == "False"


def test_timeout_bounds_offline_work(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    import meshctl.analysis.pipeline as pipeline

    def slow_analyze(*args: object, **kwargs: object) -> None:
        time.sleep(30)

    monkeypatch.setattr(pipeline, "analyze", slow_analyze)
    path = tmp_path / "svc.yaml"
    path.write_text(BAD_PORTS)
    start = time.monotonic()
    res = run_cli("analyze", "-f", str(path), "--timeout", "0.5")
    assert res.exit_code == 1 and "timed out after 0.5s" in res.stderr
    assert time.monotonic() - start < 5


def test_timeout_parsing() -> None:
    from meshctl.deadline import parse_timeout
    from meshctl.errors import UsageError

    assert parse_timeout("5") == 5.0
    assert parse_timeout("2.5") == 2.5
    assert parse_timeout("30s") == 30.0
    assert parse_timeout("5m") == 300.0
    assert parse_timeout("1h30m") == 5400.0
    assert parse_timeout("500ms") == 0.5
    for bad in ("soon", "inf", "nan", "1e300", "-1", "0", "", "5x", "100000h"):
        with pytest.raises(UsageError):
            parse_timeout(bad)


def test_nothing_to_analyze_is_usage_error(run_cli) -> None:
    res = run_cli("analyze", "--use-kube=false")
    assert res.exit_code == 64 and "nothing to analyze" in res.stderr


def test_directory_without_manifests_is_bad_input(run_cli, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    res = run_cli("analyze", "-f", str(tmp_path))
    assert res.exit_code == 65 and "no .yaml" in res.stderr


@pytest.mark.parametrize(("files", "all_ns", "kubeconfig", "context", "expected"), [
    ([], False, None, None, True),
    (["a.yaml"], False, None, None, False),
    (["a.yaml"], True, None, None, True),
    (["a.yaml"], False, "k.yaml", None, True),
    (["a.yaml"], False, None, "prod", True),
])
def test_when_the_cluster_is_read(files, all_ns, kubeconfig, context, expected) -> None:
    from meshctl.cli.analyze import wants_cluster

    assert wants_cluster(files, all_ns, kubeconfig, context) is expected


@pytest.mark.parametrize("args", [["version", "--no-color"], ["version", "--debug"],
                                  ["completion", "bash", "--no-color"], ["analyze", "-L", "--debug", "--no-color"]])
def test_no_color_and_debug_work_with_every_command(run_cli, args: list[str]) -> None:
    import os

    before = (os.environ.get("NO_COLOR"), os.environ.get("MESHCTL_DEBUG"))
    res = run_cli(*args)
    assert res.exit_code == 0, res.stderr
    assert (os.environ.get("NO_COLOR"), os.environ.get("MESHCTL_DEBUG")) == before


def test_debug_shows_the_traceback_of_an_internal_error(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import meshctl.cli.version as version_module

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(version_module, "emit", broken)
    plain = run_cli("version")
    assert plain.exit_code == 1 and "internal error: RuntimeError: boom" in plain.stderr
    with pytest.raises(RuntimeError):
        run_cli("version", "--debug")
