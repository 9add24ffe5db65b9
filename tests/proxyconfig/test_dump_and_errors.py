"""The dump summary, version parsing, staleness, diff, redaction, targets and error exits."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from meshctl.envoy import clock
from meshctl.envoy.versions import parse_version
from meshctl.sources.envoy import Target, has_sidecar, parse_target


def _dump(clusters_version: str, listeners_version: str, cluster_names: tuple[str, ...] = ("a",)) -> dict:
    return {
        "configs": [
            {
                "@type": "type.googleapis.com/envoy.admin.v3.ClustersConfigDump",
                "version_info": clusters_version,
                "dynamic_active_clusters": [
                    {
                        "version_info": clusters_version,
                        "last_updated": "2023-09-01T12:35:00.100Z",
                        "cluster": {
                            "@type": "type.googleapis.com/envoy.config.cluster.v3.Cluster",
                            "name": n,
                            "type": "EDS",
                        },
                    }
                    for n in cluster_names
                ],
            },
            {
                "@type": "type.googleapis.com/envoy.admin.v3.ListenersConfigDump",
                "version_info": listeners_version,
                "dynamic_listeners": [
                    {
                        "name": "l1",
                        "active_state": {
                            "version_info": listeners_version,
                            "listener": {
                                "@type": "type.googleapis.com/envoy.config.listener.v3.Listener",
                                "name": "l1",
                            },
                        },
                    },
                    {
                        "name": "l2",
                        "warming_state": {
                            "version_info": listeners_version,
                            "listener": {
                                "@type": "type.googleapis.com/envoy.config.listener.v3.Listener",
                                "name": "l2",
                            },
                        },
                    },
                ],
            },
        ]
    }


@pytest.fixture
def write(tmp_path: Path):
    def _write(doc: object, name: str = "dump.json") -> str:
        path = tmp_path / name
        path.write_text(doc if isinstance(doc, str) else json.dumps(doc))
        return str(path)

    return _write


def test_version_info_parses_into_time_and_counter() -> None:
    v = parse_version("2023-09-01T12:34:56Z/42")
    assert v is not None and v.counter == 42 and v.counter_text == "#42"
    assert v.pushed == datetime(2023, 9, 1, 12, 34, 56, tzinfo=UTC)
    other = parse_version("1")
    assert other is not None and other.pushed is None and other.raw == "1"


def test_dump_table_shows_counts_time_counter_and_age(run_cli, write, monkeypatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: datetime(2023, 9, 1, 14, 34, 56, tzinfo=UTC))
    res = run_cli("pc", "dump", "-f", write(_dump("2023-09-01T12:34:56Z/42", "2023-09-01T12:34:56Z/42")))
    assert res.exit_code == 0, res.stderr
    lines = res.stdout.splitlines()
    clusters = next(line.split() for line in lines if line.startswith("clusters "))
    assert clusters[:8] == [
        "clusters",
        "0",
        "1",
        "0",
        "2023-09-01T12:34:56Z/42",
        "2023-09-01T12:34:56Z",
        "#42",
        "2h",
    ]
    listeners = next(line.split() for line in lines if line.startswith("listeners "))
    assert listeners[1:4] == ["0", "1", "1"]
    assert any(
        line.split()[:3] == ["clusters", "a", "dynamic"] and "2023-09-01T12:35:00Z" in line for line in lines
    )


def test_dump_type_filter_and_raw_output(run_cli, write) -> None:
    path = write(_dump("2023-09-01T12:34:56Z/42", "2023-09-01T12:34:56Z/42"))
    table = run_cli("pc", "dump", "-f", path, "--type", "listeners").stdout
    assert "listeners" in table and "clusters" not in table
    raw = json.loads(run_cli("pc", "dump", "-f", path, "-o", "json", "--type", "ClustersConfigDump").stdout)
    assert [c["@type"].rsplit(".", 1)[-1] for c in raw["configs"]] == ["ClustersConfigDump"]
    assert run_cli("pc", "dump", "-f", path, "--type", "nonsense").exit_code == 64


def test_no_cross_section_staleness_warning(run_cli, write) -> None:
    # Envoy bumps a section's version only when one of its resources changes, and istiod's counter
    # restarts with istiod: sections' versions are not comparable, so a lagging one is not stale.
    res = run_cli("pc", "dump", "-f", write(_dump("2023-09-01T12:34:56Z/420", "2023-08-01T10:00:00Z/17")))
    assert res.exit_code == 0 and res.stderr == ""
    assert "#17" in res.stdout and "#420" in res.stdout


def test_diff_reports_added_removed_changed_with_versions(run_cli, write) -> None:
    a = write(_dump("2023-09-01T12:34:56Z/42", "2023-09-01T12:34:56Z/42", ("a", "b")), "a.json")
    changed = _dump("2023-09-01T12:40:00Z/43", "2023-09-01T12:34:56Z/42", ("a", "c"))
    changed["configs"][0]["dynamic_active_clusters"][0]["cluster"]["type"] = "STATIC"
    b = write(changed, "b.json")
    rows = json.loads(run_cli("pc", "diff", a, b, "-o", "json").stdout)
    got = {(r["change"], r["name"]): (r["versionA"], r["versionB"]) for r in rows}
    assert got == {
        ("changed", "a"): ("2023-09-01T12:34:56Z/42", "2023-09-01T12:40:00Z/43"),
        ("removed", "b"): ("2023-09-01T12:34:56Z/42", "-"),
        ("added", "c"): ("-", "2023-09-01T12:40:00Z/43"),
    }
    same = run_cli("pc", "diff", a, a)
    assert same.exit_code == 0 and "No differences" in same.stdout


def test_raw_dump_never_prints_private_keys(run_cli, write) -> None:
    doc = {
        "configs": [
            {
                "@type": "type.googleapis.com/envoy.admin.v3.SecretsConfigDump",
                "static_secrets": [
                    {
                        "name": "s",
                        "secret": {
                            "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret",
                            "name": "s",
                            "tls_certificate": {"private_key": {"inline_string": "TOPSECRETKEY"}},
                        },
                    },
                    {
                        "name": "g",
                        "secret": {
                            "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret",
                            "name": "g",
                            "generic_secret": {"secret": {"inline_string": "TOPSECRETTOKEN"}},
                        },
                    },
                ],
            }
        ]
    }
    path = write(doc)
    for args in (
        ("dump", "-o", "json"),
        ("dump", "-o", "yaml"),
        ("dump",),
        ("secrets", "-o", "json"),
        ("secrets",),
    ):
        res = run_cli("pc", *args, "-f", path)
        assert res.exit_code == 0, (args, res.stderr)
        assert "TOPSECRETKEY" not in res.stdout and "TOPSECRETTOKEN" not in res.stdout


@pytest.mark.parametrize(
    "text",
    [
        '{"configs": [{"@type": "type.googleapis.com/envoy.admin.v3.Clu',
        "not json at all",
        "[1, 2]",
        '{"other": 1}',
    ],
)
def test_unreadable_dump_exits_65_with_one_line(run_cli, write, text: str) -> None:
    res = run_cli("pc", "clusters", "-f", write(text))
    assert res.exit_code == 65
    assert res.stderr.count("\n") == 1 and "Traceback" not in res.stderr


def test_a_field_of_the_wrong_type_deep_in_a_dump_is_bad_input(run_cli, write) -> None:
    # a listener whose inline route's virtual_hosts is a number (fuzz seed 77, case 52)
    hcm = {"name": "envoy.filters.network.http_connection_manager",
           "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.network."
                                     "http_connection_manager.v3.HttpConnectionManager",
                            "route_config": {"virtual_hosts": 7}}}
    dump = {"configs": [{"@type": "type.googleapis.com/envoy.admin.v3.ListenersConfigDump",
                         "dynamic_listeners": [{"name": "l", "active_state": {"listener": {
                             "@type": "type.googleapis.com/envoy.config.listener.v3.Listener", "name": "l",
                             "address": {"socket_address": {"address": "0.0.0.0", "port_value": 80}},
                             "filter_chains": [{"filters": [hcm]}]}}}]}]}
    res = run_cli("pc", "listeners", "-f", write(json.dumps(dump)))
    assert res.exit_code == 65, res.stderr
    assert res.stderr.count("\n") == 1 and "does not write there" in res.stderr and "internal" not in res.stderr


def test_stdin_dump(run_cli) -> None:
    res = run_cli(
        "pc",
        "clusters",
        "-f",
        "-",
        "-o",
        "rows-json",
        stdin=json.dumps(_dump("2023-09-01T12:34:56Z/42", "2023-09-01T12:34:56Z/42")),
    )
    assert res.exit_code == 0 and json.loads(res.stdout)[0]["versionInfo"] == "2023-09-01T12:34:56Z/42"


def test_missing_file_and_no_target(run_cli, tmp_path: Path) -> None:
    assert run_cli("pc", "clusters", "-f", str(tmp_path / "absent.json")).exit_code == 65
    assert run_cli("pc", "clusters").exit_code == 64


def test_unreachable_admin_port_exits_1(run_cli) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    res = run_cli("pc", "clusters", "--admin-url", f"http://127.0.0.1:{port}", "--timeout", "2")
    assert res.exit_code == 1 and "cannot reach the Envoy admin endpoint" in res.stderr


@pytest.fixture
def not_envoy() -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            body = b"<html>hello</html>" if self.path.startswith("/config_dump") else b"nope"
            self.send_response(200 if self.path.startswith("/config_dump") else 404)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_http_server_that_is_not_envoy(run_cli, not_envoy: str) -> None:
    res = run_cli("pc", "dump", "--admin-url", not_envoy)
    assert res.exit_code == 65 and "does not look like an Envoy admin endpoint" in res.stderr
    assert "not an Envoy config dump" in res.stderr
    res = run_cli("pc", "endpoints", "--admin-url", not_envoy)
    assert res.exit_code == 65 and "does not look like an Envoy admin endpoint" in res.stderr
    assert "HTTP 404" in res.stderr


def test_target_forms() -> None:
    assert parse_target("productpage-v1-abc.bookinfo", None, None) == Target(
        "pod", "productpage-v1-abc", "bookinfo"
    )
    assert parse_target("deploy/reviews", None, None, "ns1") == Target("deploy", "reviews", "ns1")
    assert parse_target(None, "127.0.0.1:15000", None) == Target("url", "http://127.0.0.1:15000")
    assert parse_target(None, None, "-").kind == "file"


def test_pod_without_sidecar_is_detected() -> None:
    assert not has_sidecar({"spec": {"containers": [{"name": "app"}]}})
    assert has_sidecar({"spec": {"containers": [{"name": "app"}, {"name": "istio-proxy"}]}})
    assert has_sidecar(
        {
            "spec": {
                "containers": [{"name": "app"}],
                "initContainers": [{"name": "istio-proxy", "restartPolicy": "Always"}],
            }
        }
    )


def _serve(body: bytes, content_type: str) -> tuple[HTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


DUMP = {"configs": [{"@type": "type.googleapis.com/envoy.admin.v3.ClustersConfigDump", "static_clusters": [
    {"cluster": {"@type": "type.googleapis.com/envoy.config.cluster.v3.Cluster", "name": "agent",
                 "type": "STATIC"}}]}]}


def test_a_charset_lie_is_read_as_utf8(run_cli) -> None:
    """Envoy's JSON is UTF-8 whatever the Content-Type claims; a utf-16 label is no internal error."""
    server, url = _serve(json.dumps(DUMP).encode(), "application/json; charset=utf-16")
    try:
        res = run_cli("pc", "clusters", "--admin-url", url)
    finally:
        server.shutdown()
        server.server_close()
    assert res.exit_code == 0, res.stderr
    assert "agent" in res.stdout


def test_a_body_that_is_not_utf8_is_unreadable_input(run_cli) -> None:
    server, url = _serve(json.dumps(DUMP).encode("utf-16"), "application/json")
    try:
        res = run_cli("pc", "clusters", "--admin-url", url)
    finally:
        server.shutdown()
        server.server_close()
    assert res.exit_code == 65 and "not UTF-8" in res.stderr, res.stderr
    assert "Traceback" not in res.stderr


def test_a_5000_digit_integer_in_a_dump_is_unreadable_input(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "dump.json"
    path.write_text(json.dumps(DUMP).replace('"configs"', '"big": ' + "9" * 5000 + ', "configs"', 1))
    res = run_cli("pc", "clusters", "-f", str(path))
    assert res.exit_code == 65 and "more than 4300 digits" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
