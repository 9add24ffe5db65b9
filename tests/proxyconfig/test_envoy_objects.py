"""``-o json|yaml`` prints Envoy's own objects in the shape of Envoy's admin API (as istioctl does), with
every sensitive field redacted; ``pc endpoints`` reads ``/clusters``; ECDS lists every entry."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.proxyconfig.envoy_harness import CLUSTER, LISTENER, ROUTE

ADMIN = "type.googleapis.com/envoy.admin.v3."
TLS = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3."
HCM = "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager"
BASIC = "type.googleapis.com/envoy.extensions.filters.http.basic_auth.v3.BasicAuth"


def _json(run_cli: Any, *args: str) -> Any:
    res = run_cli("pc", *args)
    assert res.exit_code == 0, res.stderr
    return json.loads(res.stdout)


def test_clusters_listeners_routes_are_envoy_objects(run_cli, envoy: Any) -> None:
    url = ("--admin-url", envoy.admin_url)
    clusters = _json(run_cli, "clusters", *url, "-o", "json")
    by_name = {c["name"]: c for c in clusters}
    assert by_name[CLUSTER]["type"] == "EDS" and "eds_cluster_config" in by_name[CLUSTER]
    assert all("@type" not in c and "fqdn" not in c for c in clusters)
    narrowed = _json(run_cli, "clusters", *url, "--fqdn", "backend", "-o", "json")
    assert [c["name"] for c in narrowed] == [CLUSTER]
    listeners = {x["name"]: x for x in _json(run_cli, "listeners", *url, "-o", "json")}
    assert "filter_chains" in listeners[LISTENER] and "destination" not in listeners[LISTENER]
    routes = _json(run_cli, "routes", *url, "-o", "json")
    assert [r["name"] for r in routes] == [ROUTE] and routes[0]["virtual_hosts"][0]["domains"]
    as_yaml = yaml.safe_load(run_cli("pc", "routes", *url, "-o", "yaml").stdout)
    assert as_yaml == routes


def test_secrets_bootstrap_and_endpoints_objects(run_cli, envoy: Any) -> None:
    url = ("--admin-url", envoy.admin_url)
    secrets = _json(run_cli, "secrets", *url, "-o", "json")
    cert = next(s for s in secrets["static_secrets"] if s["name"] == "server-cert")
    assert cert["secret"]["tls_certificate"]["private_key"] == {"inline_string": "[redacted]"}
    assert "BEGIN CERTIFICATE" in cert["secret"]["tls_certificate"]["certificate_chain"]["inline_string"]
    boot = run_cli("pc", "bootstrap", *url)
    assert boot.exit_code == 0 and json.loads(boot.stdout)["bootstrap"]["node"]["metadata"]["ISTIO_VERSION"]
    assert run_cli("pc", "bootstrap", *url, "-o", "short").stdout.startswith("Istio Version:")
    statuses = _json(run_cli, "endpoints", *url, "--cluster", CLUSTER, "-o", "json")
    assert [s["name"] for s in statuses] == [CLUSTER]
    assert statuses[0]["host_statuses"][0]["address"]["socket_address"]["address"] == "127.0.0.1"


def test_endpoints_table_has_istioctl_columns(run_cli, envoy: Any) -> None:
    res = run_cli("pc", "endpoints", "--admin-url", envoy.admin_url)
    header, *lines = res.stdout.splitlines()
    assert header.split() == ["ENDPOINT", "STATUS", "OUTLIER", "CHECK", "CLUSTER"]
    row = next(line.split() for line in lines if line.endswith(CLUSTER))
    assert row[1:3] == ["HEALTHY", "OK"]


def test_serials_are_padded_to_32_hex_digits(run_cli, envoy: Any) -> None:
    rows = {r["name"]: r for r in _json(run_cli, "secrets", "--admin-url", envoy.admin_url, "-o", "rows-json")}
    assert rows["server-cert"]["serial"] == f"{envoy.serial:032x}"


def test_bootstrap_default_output_is_istioctls_json(run_cli, dumps: Path) -> None:
    res = run_cli("pc", "bootstrap", "-f", str(dumps / "bootstrap" / "config_dump.json"))
    assert res.exit_code == 0, res.stderr
    assert json.loads(res.stdout) == json.loads((dumps / "bootstrap" / "expected_bootstrap_json.json").read_text())


CLUSTERS_JSON = {
    "cluster_statuses": [
        {
            "name": "outbound|9080||reviews.shop.svc.cluster.local",
            "host_statuses": [
                {"address": {"socket_address": {"address": "10.0.0.9", "port_value": 9080}},
                 "health_status": {"eds_health_status": "HEALTHY", "failed_outlier_check": True}},
                {"address": {"socket_address": {"address": "10.0.0.10", "port_value": 9080}},
                 "health_status": {"eds_health_status": "HEALTHY"}},
            ],
        },
        {
            "name": "sds-grpc",
            "host_statuses": [{"address": {"pipe": {"path": "./var/run/secrets/workload-spiffe-uds/socket"}},
                               "health_status": {"eds_health_status": "HEALTHY"}}],
        },
    ]
}


def test_endpoints_from_a_clusters_json_file(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "clusters.json"
    path.write_text(json.dumps(CLUSTERS_JSON))
    res = run_cli("pc", "endpoints", "-f", str(path))
    assert res.exit_code == 0, res.stderr
    rows = [line.split() for line in res.stdout.splitlines()[1:]]
    assert rows == [
        ["10.0.0.10:9080", "HEALTHY", "OK", "outbound|9080||reviews.shop.svc.cluster.local"],
        ["10.0.0.9:9080", "HEALTHY", "FAILED", "outbound|9080||reviews.shop.svc.cluster.local"],
        ["unix://./var/run/secrets/workload-spiffe-uds/socket", "HEALTHY", "OK", "sds-grpc"],
    ]
    objects = _json(run_cli, "endpoints", "-f", str(path), "--address", "10.0.0.9", "-o", "json")
    assert [(o["name"], len(o["host_statuses"])) for o in objects] == [
        ("outbound|9080||reviews.shop.svc.cluster.local", 1)
    ]


def _secret_dump() -> dict[str, Any]:
    return {"configs": [
        {"@type": ADMIN + "ListenersConfigDump", "dynamic_listeners": [{"name": "l", "active_state": {
            "version_info": "1", "listener": {
                "@type": "type.googleapis.com/envoy.config.listener.v3.Listener", "name": "l",
                "address": {"socket_address": {"address": "0.0.0.0", "port_value": 80}},
                "filter_chains": [{"filters": [{"name": "envoy.filters.network.http_connection_manager",
                                                "typed_config": {"@type": HCM, "http_filters": [
                                                    {"name": "basic", "typed_config": {
                                                        "@type": BASIC,
                                                        "users": {"inline_string": "alice:PLANTED-HTPASSWD"}}}]}}]}],
            }}}]},
        {"@type": ADMIN + "ClustersConfigDump", "dynamic_active_clusters": [{"cluster": {
            "@type": "type.googleapis.com/envoy.config.cluster.v3.Cluster", "name": "outbound|443||db.example.com",
            "transport_socket": {"name": "tls", "typed_config": {
                "@type": TLS + "UpstreamTlsContext", "common_tls_context": {"tls_certificates": [
                    {"certificate_chain": {"inline_string": "CERT"},
                     "private_key": {"inline_bytes": "UExBTlRFRC1LRVk="}}]}}}}}]},
        {"@type": ADMIN + "SecretsConfigDump", "dynamic_active_secrets": [{"name": "p12", "secret": {
            "@type": TLS + "Secret", "name": "p12",
            "tls_certificate": {"pkcs12": {"inline_bytes": "UExBTlRFRC1QS0NTMTI="},
                                "password": {"inline_string": "PLANTED-PASSWORD"}}}}]},
    ]}


@pytest.mark.parametrize("args", [
    ("dump", "-o", "json"), ("dump", "-o", "yaml"), ("all", "-o", "json"), ("all", "-o", "yaml"),
    ("listeners", "-o", "json"), ("listeners", "-o", "yaml"), ("secrets", "-o", "json"), ("secrets",),
    ("clusters", "-o", "json"), ("clusters", "-o", "yaml"), ("clusters", "-o", "rows-json"),
    ("all",), ("diff",),
])
def test_every_sensitive_field_is_redacted(run_cli, tmp_path: Path, args: tuple[str, ...]) -> None:
    path = tmp_path / "dump.json"
    path.write_text(json.dumps(_secret_dump()))
    files = (str(path), str(tmp_path / "absent-side.json")) if args == ("diff",) else ()
    if files:
        (tmp_path / "absent-side.json").write_text('{"configs": []}')
        res = run_cli("pc", "diff", *files)
    else:
        res = run_cli("pc", *args, "-f", str(path))
    assert res.exit_code == 0, res.stderr
    for planted in ("PLANTED-HTPASSWD", "PLANTED-PASSWORD", "UExBTlRFRC1QS0NTMTI=", "UExBTlRFRC1LRVk="):
        assert planted not in res.stdout, (args, planted)


def test_redaction_keeps_the_fields_own_name(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "dump.json"
    path.write_text(json.dumps(_secret_dump()))
    doc = _json(run_cli, "dump", "-f", str(path), "-o", "json", "--type", "secrets")
    tls = doc["configs"][0]["dynamic_active_secrets"][0]["secret"]["tls_certificate"]
    assert tls == {"pkcs12": {"inline_bytes": "[redacted]"}, "password": {"inline_string": "[redacted]"}}
    listener = _json(run_cli, "listeners", "-f", str(path), "-o", "json")[0]
    basic = listener["filter_chains"][0]["filters"][0]["typed_config"]["http_filters"][0]["typed_config"]
    assert basic["users"] == {"inline_string": "[redacted]"}
    cluster = _json(run_cli, "clusters", "-f", str(path), "-o", "json")[0]
    cert = cluster["transport_socket"]["typed_config"]["common_tls_context"]["tls_certificates"][0]
    assert cert == {"certificate_chain": {"inline_string": "CERT"}, "private_key": {"inline_bytes": "[redacted]"}}


def test_ecds_lists_every_entry_with_its_type(run_cli, tmp_path: Path) -> None:
    entries = [
        {"name": "istio.stats", "@type": "type.googleapis.com/stats.PluginConfig"},
        {"name": "wasm-auth", "@type": "type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm"},
        {"name": "no-config"},
    ]
    doc = {"configs": [{"@type": ADMIN + "EcdsConfigDump", "ecds_filters": [
        {"version_info": "1", "ecds_filter": {
            "@type": "type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig", "name": e["name"],
            **({"typed_config": {"@type": e["@type"]}} if "@type" in e else {})}}
        for e in entries]}]}
    path = tmp_path / "ecds.json"
    path.write_text(json.dumps(doc))
    rows = _json(run_cli, "ecds", "-f", str(path), "-o", "rows-json")
    assert [(r["name"], r["type"]) for r in rows] == [
        ("istio.stats", "stats.PluginConfig"),
        ("wasm-auth", "envoy.extensions.filters.http.wasm.v3.Wasm"),
        ("no-config", ""),
    ]
    table = run_cli("pc", "ecds", "-f", str(path)).stdout
    assert "istio.stats" in table and "no-config" in table


def test_a_live_envoy_without_ecds_has_an_empty_ecds_view(run_cli, envoy: Any) -> None:
    res = run_cli("pc", "ecds", "--admin-url", envoy.admin_url)
    assert res.exit_code == 0, res.stderr
    assert res.stdout.split() == ["NAME", "TYPE"]
    assert json.loads(run_cli("pc", "ecds", "--admin-url", envoy.admin_url, "-o", "json").stdout) == {}


def test_endpoints_of_a_config_dump_are_its_cluster_load_assignments(run_cli, dumps: Path) -> None:
    path = str(dumps / "waypoint-all" / "config_dump.json")
    objects = _json(run_cli, "endpoints", "-f", path, "--cluster", "prometheus_stats", "-o", "json")
    assert [o["cluster_name"] for o in objects] == ["prometheus_stats"]
    assert "lb_endpoints" in objects[0]["endpoints"][0] and "@type" not in objects[0]
