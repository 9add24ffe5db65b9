"""istioctl parity: meshctl's tables equal istioctl's golden files for the shared dumps."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from meshctl.envoy import clock


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """2024-01-01: the workload certificate has expired, the root CA has not."""
    monkeypatch.setattr(clock, "now", lambda: datetime(2024, 1, 1, tzinfo=UTC))


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.rstrip("\n").splitlines()]


@pytest.mark.parametrize(
    ("folder", "args", "golden"),
    [
        ("waypoint-all", ("all",), "expected_pc_all.txt"),
        ("waypoint-all", ("all", "--with-headers"), "expected_pc_all_with_headers.txt"),
        ("routes-istio-gateway", ("routes",), "expected_route_summary_verbose.txt"),
        ("bootstrap", ("bootstrap", "-o", "short"), "expected_bootstrap_summary.txt"),
    ],
)
def test_tables_match_istioctl_goldens(
    run_cli, dumps: Path, folder: str, args: tuple[str, ...], golden: str
) -> None:
    res = run_cli("pc", *args, "-f", str(dumps / folder / "config_dump.json"))
    assert res.exit_code == 0, res.stderr
    assert _lines(res.stdout) == _lines((dumps / folder / golden).read_text())


def test_bootstrap_json_rows_carry_the_golden_versions(run_cli, dumps: Path) -> None:
    res = run_cli("pc", "bootstrap", "-f", str(dumps / "bootstrap" / "config_dump.json"), "-o", "rows-json")
    golden = json.loads((dumps / "bootstrap" / "expected_bootstrap_json.json").read_text())
    node = golden["bootstrap"]["node"]
    assert json.loads(res.stdout) == {
        "istioVersion": node["metadata"]["ISTIO_VERSION"],
        "proxyVersion": node["metadata"]["ISTIO_PROXY_SHA"].removeprefix("istio-proxy:"),
        "envoyVersion": "1.18.3/Clean/RELEASE/BoringSSL",
    }


def test_secret_validity_follows_the_injected_clock(
    run_cli, dumps: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = str(dumps / "waypoint-all" / "config_dump.json")
    monkeypatch.setattr(clock, "now", lambda: datetime(2023, 5, 15, 12, tzinfo=UTC))
    rows = json.loads(run_cli("pc", "secrets", "-f", path, "-o", "rows-json").stdout)
    assert [(r["name"], r["validCert"]) for r in rows] == [("default", True), ("ROOTCA", True)]
    monkeypatch.setattr(clock, "now", lambda: datetime(2034, 1, 1, tzinfo=UTC))
    rows = json.loads(run_cli("pc", "secrets", "-f", path, "-o", "rows-json").stdout)
    assert [r["validCert"] for r in rows] == [False, False]
    assert set(rows[0]) >= {"name", "type", "status", "validCert", "serial", "notAfter", "notBefore"}


def test_json_rows_use_the_issue_keys(run_cli, dumps: Path) -> None:
    path = str(dumps / "waypoint-all" / "config_dump.json")
    expected = {
        "clusters": {"name", "fqdn", "port", "subset", "direction", "type", "destinationRule"},
        "listeners": {"name", "address", "port", "match", "destination"},
        "routes": {"name", "vhost", "domains", "match", "virtualService"},
        "endpoints": {"endpoint", "status", "outlierCheck", "locality", "cluster"},
    }
    for command, keys in expected.items():
        rows = json.loads(run_cli("pc", command, "-f", path, "-o", "rows-json").stdout)
        assert rows, command
        for row in rows:
            assert keys <= set(row) <= keys | {"versionInfo"}, (command, row)
    clusters = json.loads(run_cli("pc", "clusters", "-f", path, "-o", "rows-json").stdout)
    eds = next(r for r in clusters if r["type"] == "EDS")
    assert eds["fqdn"] == "httpbin.default.svc.cluster.local" and eds["port"] == 8000


def test_filters_narrow_rows(run_cli, dumps: Path) -> None:
    path = str(dumps / "waypoint-all" / "config_dump.json")
    out = run_cli("pc", "clusters", "-f", path, "--port", "8000", "-o", "rows-json").stdout
    assert [r["port"] for r in json.loads(out)] == [8000]
    out = run_cli("pc", "listeners", "-f", path, "--port", "15021", "-o", "rows-json").stdout
    assert [r["destination"] for r in json.loads(out)] == ["Inline Route: /healthz/ready*"]
    out = run_cli("pc", "endpoints", "-f", path, "--cluster", "prometheus_stats", "-o", "rows-json").stdout
    assert [r["endpoint"] for r in json.loads(out)] == ["127.0.0.1:15000"]
    out = run_cli(
        "pc",
        "routes",
        "-f",
        str(dumps / "routes-istio-gateway" / "config_dump.json"),
        "--name",
        "http.8080",
        "-o",
        "rows-yaml",
    ).stdout
    assert "virtualService: httpbin.default" in out and "backend" not in out
