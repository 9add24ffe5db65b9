"""Against a real Envoy fed by the test ADS server: versions /42 then /43, resources, secrets."""

from __future__ import annotations

import json
from typing import Any

from tests.proxyconfig.envoy_harness import CLUSTER, EXTRA_CLUSTER, LISTENER, ROUTE, V42, V43


def _section_line(stdout: str, section: str) -> list[str]:
    return next(line.split() for line in stdout.splitlines() if line.startswith(section + " "))


def test_clusters_json_lists_the_pushed_cluster(run_cli, envoy: Any) -> None:
    res = run_cli("pc", "clusters", "--admin-url", envoy.admin_url, "-o", "rows-json")
    assert res.exit_code == 0, res.stderr
    rows = {r["name"]: r for r in json.loads(res.stdout)}
    pushed = rows[CLUSTER]
    assert (pushed["fqdn"], pushed["port"], pushed["direction"], pushed["type"]) == (
        "backend.default.svc.cluster.local",
        8080,
        "outbound",
        "EDS",
    )
    assert pushed["destinationRule"] == "backend.default"
    assert pushed["versionInfo"] == V42
    assert rows["xds-grpc"]["type"] == "STATIC" and "versionInfo" not in rows["xds-grpc"]


def test_listeners_routes_and_endpoints(run_cli, envoy: Any) -> None:
    listeners = json.loads(run_cli("pc", "listeners", "--admin-url", envoy.admin_url, "-o", "rows-json").stdout)
    dynamic = next(r for r in listeners if r["name"] == LISTENER)
    assert dynamic["destination"] == f"Route: {ROUTE}" and dynamic["versionInfo"] == V42
    routes = json.loads(run_cli("pc", "routes", "--admin-url", envoy.admin_url, "-o", "rows-json").stdout)
    assert [(r["name"], r["match"], r["virtualService"]) for r in routes] == [
        (ROUTE, "/api*", "backend.default")
    ]
    endpoints = json.loads(run_cli("pc", "endpoints", "--admin-url", envoy.admin_url, "-o", "rows-json").stdout)
    backend = [r for r in endpoints if r["cluster"] == CLUSTER]
    assert [(r["endpoint"], r["status"], r["locality"]) for r in backend] == [
        ("127.0.0.1:18080", "HEALTHY", "r1/z1")
    ]


def test_secrets_show_the_generated_certificate_but_no_key(run_cli, envoy: Any) -> None:
    res = run_cli("pc", "secrets", "--admin-url", envoy.admin_url, "-o", "rows-json")
    rows = {r["name"]: r for r in json.loads(res.stdout)}
    serial = f"{envoy.serial:x}"
    assert rows["server-cert"]["type"] == "Cert Chain" and rows["server-ca"]["type"] == "CA"
    assert rows["server-cert"]["validCert"] is True
    assert rows["server-cert"]["serial"].lstrip("0") == serial.lstrip("0")
    raw = run_cli("pc", "dump", "--admin-url", envoy.admin_url, "-o", "yaml", "--type", "secrets").stdout
    assert "PRIVATE KEY" not in raw and "server-cert" in raw


def test_bootstrap_reports_the_real_envoy_version(run_cli, envoy: Any) -> None:
    row = json.loads(run_cli("pc", "bootstrap", "--admin-url", envoy.admin_url, "-o", "rows-json").stdout)
    assert row["istioVersion"] == "1.22.0-test"
    assert row["envoyVersion"].split("/")[0].count(".") == 2 and row["envoyVersion"] != "0.0.0"


def test_dump_shows_42_then_43_after_a_push(run_cli, envoy: Any) -> None:
    before = run_cli("pc", "dump", "--admin-url", envoy.admin_url)
    assert before.exit_code == 0, before.stderr
    for section in ("clusters", "listeners", "routes"):
        line = _section_line(before.stdout, section)
        assert line[4:7] == [V42, "2023-09-01T12:34:56Z", "#42"], line
    envoy.ads.push(V43, 43)
    envoy.wait_for_version(V43)
    after = run_cli("pc", "dump", "--admin-url", envoy.admin_url, "--include-eds")
    assert _section_line(after.stdout, "clusters")[4:7] == [V43, "2023-09-01T12:40:00Z", "#43"]
    assert _section_line(after.stdout, "routes")[6] == "#43"
    names = json.loads(run_cli("pc", "clusters", "--admin-url", envoy.admin_url, "-o", "rows-json").stdout)
    versions = {r["name"]: r.get("versionInfo") for r in names}
    assert versions[EXTRA_CLUSTER] == V43
    routes = json.loads(run_cli("pc", "routes", "--admin-url", envoy.admin_url, "-o", "rows-json").stdout)
    assert [(r["match"], r["versionInfo"]) for r in routes] == [("/v2*", V43)]
    endpoints = json.loads(
        run_cli("pc", "endpoints", "--admin-url", envoy.admin_url, "--cluster", CLUSTER, "-o", "rows-json").stdout
    )
    assert [r["endpoint"] for r in endpoints] == ["127.0.0.1:18081"]
