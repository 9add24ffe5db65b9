"""kube-inject: shared goldens, idempotence, annotations, pass-through, schema validity."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from meshctl.inject.engine import pod_template
from meshctl.inject.manifests import inject_text
from meshctl.inject.values import build_values

GOLDEN_VALUES = {"global": {"hub": "registry.istio.io/testing", "tag": "latest"}}
POD = """apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
  labels: {app: web, version: v2}
  annotations: {}
spec:
  containers:
  - name: web
    image: nginx
    ports: [{containerPort: 8080, name: http, protocol: TCP}, {containerPort: 9090}]
"""


def _values(native: bool = False, **helm: Any) -> Any:
    return build_values({**GOLDEN_VALUES, **helm}, native_sidecar=native)


def _pod(text: str, values: Any) -> dict[str, Any]:
    return yaml.safe_load(inject_text(text, "t.yaml", values))


def _with_annotations(**ann: str) -> str:
    doc = yaml.safe_load(POD)
    doc["metadata"]["annotations"] = ann
    return yaml.safe_dump(doc)


def _drop_empty(value: Any) -> Any:
    """Go's serialiser writes empty ``resources: {}``; meshctl leaves absent fields absent."""
    if isinstance(value, dict):
        return {k: _drop_empty(v) for k, v in value.items() if v != {}}
    if isinstance(value, list):
        return [_drop_empty(v) for v in value]
    return value


def _first(path: Path) -> dict[str, Any]:
    """The first document of a golden (they end with a ``---`` line)."""
    return next(d for d in yaml.safe_load_all(path.read_text()) if d)


def _container(spec: dict[str, Any], name: str) -> dict[str, Any]:
    both = [*spec.get("containers", []), *spec.get("initContainers", [])]
    return next(c for c in both if c["name"] == name)


@pytest.mark.parametrize(("golden", "native"), [("hello.classic-sidecar.injected.yaml", False),
                                                ("hello.native-sidecar.injected.yaml", True)])
def test_shared_golden_matches(shared_istio: Path, golden: str, native: bool) -> None:
    base = shared_istio / "inject"
    got = pod_template(_pod((base / "hello.yaml").read_text(), _values(native)))
    want = pod_template(_first(base / golden))
    assert got is not None and want is not None
    for key in ("containers", "initContainers", "volumes"):
        assert _drop_empty(got["spec"][key]) == _drop_empty(want["spec"][key]), key
    assert got["metadata"]["annotations"] == want["metadata"]["annotations"]
    assert got["metadata"]["labels"] == want["metadata"]["labels"]


def test_golden_differs_only_in_image_with_default_values(shared_istio: Path) -> None:
    base = shared_istio / "inject"
    got = pod_template(_pod((base / "hello.yaml").read_text(), build_values()))
    want = pod_template(_first(base / "hello.classic-sidecar.injected.yaml"))
    assert got and want
    proxy = _container(got["spec"], "istio-proxy")
    assert proxy["image"].startswith("docker.io/istio/proxyv2:")
    proxy["image"] = _container(want["spec"], "istio-proxy")["image"]
    assert _drop_empty(proxy) == _drop_empty(_container(want["spec"], "istio-proxy"))


@pytest.mark.parametrize("native", [False, True])
def test_injecting_twice_equals_injecting_once(native: bool) -> None:
    once = inject_text(POD, "p.yaml", _values(native))
    assert inject_text(once, "p.yaml", _values(native)) == once


def test_switching_to_native_replaces_the_classic_sidecar() -> None:
    classic = inject_text(POD, "p.yaml", _values())
    native = _pod(classic, _values(native=True))
    assert [c["name"] for c in native["spec"]["containers"]] == ["web"]
    assert [c["name"] for c in native["spec"]["initContainers"]] == ["istio-init", "istio-proxy"]
    assert len(native["spec"]["volumes"]) == 9


def test_non_pod_documents_pass_through_verbatim_in_a_multi_document_stream() -> None:
    svc = ("# keep this comment\napiVersion: v1\nkind: Service\n"
           "metadata:\n  name: web\nspec:\n  ports: [{port: 80}]\n")
    out = inject_text(svc + "---\n" + POD + "---\n" + svc, "m.yaml", _values())
    docs = out.split("---\n")
    assert docs[0] == svc and docs[2] == svc
    assert _container(yaml.safe_load(docs[1])["spec"], "istio-proxy")


def test_opted_out_pod_is_unchanged() -> None:
    text = _with_annotations(**{"sidecar.istio.io/inject": "false"})
    assert inject_text(text, "p.yaml", _values()) == text


@pytest.mark.parametrize("kind", ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"])
def test_every_workload_kind_is_injected(kind: str) -> None:
    pod = yaml.safe_load(POD)
    tpl = {"metadata": {"labels": pod["metadata"]["labels"]}, "spec": pod["spec"]}
    spec: dict[str, Any] = {"template": tpl}
    if kind == "CronJob":
        spec = {"schedule": "* * * * *", "jobTemplate": {"spec": {"template": tpl}}}
    group = {"Job": "batch/v1", "CronJob": "batch/v1"}.get(kind, "apps/v1")
    doc = {"apiVersion": group, "kind": kind, "metadata": {"name": "w", "namespace": "shop"}, "spec": spec}
    out = yaml.safe_load(inject_text(yaml.safe_dump(doc), "w.yaml", _values()))
    injected = pod_template(out)
    assert injected and _container(injected["spec"], "istio-proxy")
    owner = next(e["value"] for e in _container(injected["spec"], "istio-proxy")["env"]
                 if e["name"] == "ISTIO_META_OWNER")
    assert owner == f"kubernetes://apis/{group}/namespaces/shop/{kind.lower()}s/w"


def _init_args(doc: dict[str, Any]) -> list[str]:
    return _container(doc["spec"], "istio-init")["args"]


def _arg(args: list[str], flag: str) -> str | None:
    return args[args.index(flag) + 1] if flag in args else None


@pytest.mark.parametrize(("annotation", "flag", "value", "expected"), [
    ("traffic.sidecar.istio.io/includeOutboundIPRanges", "-i", "10.0.0.0/8", "10.0.0.0/8"),
    ("traffic.sidecar.istio.io/excludeOutboundIPRanges", "-x", "169.254.0.0/16", "169.254.0.0/16"),
    ("traffic.sidecar.istio.io/includeInboundPorts", "-b", "8080", "8080"),
    ("traffic.sidecar.istio.io/excludeInboundPorts", "-d", "9090", "15090,15021,9090,15020"),
    ("traffic.sidecar.istio.io/excludeOutboundPorts", "-o", "5432", "5432"),
])
def test_traffic_annotations_reach_istio_init(annotation: str, flag: str, value: str, expected: str) -> None:
    assert _arg(_init_args(_pod(_with_annotations(**{annotation: value}), _values())), flag) == expected


def test_no_outbound_port_flag_without_the_annotation() -> None:
    assert "-o" not in _init_args(_pod(POD, _values()))


def test_proxy_cpu_and_memory_annotations_set_requests() -> None:
    doc = _pod(_with_annotations(**{"sidecar.istio.io/proxyCPU": "250m",
                                    "sidecar.istio.io/proxyMemory": "64Mi"}), _values())
    res = _container(doc["spec"], "istio-proxy")["resources"]
    assert res == {"requests": {"cpu": "250m", "memory": "64Mi"}}


def test_proxy_config_annotation_reaches_env_and_holds_the_app() -> None:
    doc = _pod(_with_annotations(**{"proxy.istio.io/config": "holdApplicationUntilProxyStarts: true\n"
                                    "proxyMetadata: {FOO: bar}\n"}), _values())
    containers = doc["spec"]["containers"]
    assert containers[0]["name"] == "istio-proxy"
    assert containers[0]["lifecycle"]["postStart"]["exec"]["command"] == ["pilot-agent", "wait"]
    env = {e["name"]: e.get("value") for e in containers[0]["env"]}
    assert json.loads(env["PROXY_CONFIG"]) == {"holdApplicationUntilProxyStarts": True,
                                               "proxyMetadata": {"FOO": "bar"}}
    assert env["FOO"] == "bar"


def test_pod_metadata_labels_ports_and_app_prometheus_annotations() -> None:
    doc = _pod(_with_annotations(**{"prometheus.io/port": "9090", "prometheus.io/scrape": "true"}), _values())
    meta = doc["metadata"]
    assert meta["labels"]["service.istio.io/canonical-name"] == "web"
    assert meta["labels"]["service.istio.io/canonical-revision"] == "v2"
    assert meta["annotations"]["prometheus.io/port"] == "15020"
    env = {e["name"]: e.get("value") for e in _container(doc["spec"], "istio-proxy")["env"]}
    assert json.loads(env["ISTIO_PROMETHEUS_ANNOTATIONS"]) == {"scrape": "true", "port": "9090"}
    assert env["ISTIO_META_POD_PORTS"] == ('[\n    {"name":"http","containerPort":8080,"protocol":"TCP"}'
                                           '\n    ,{"containerPort":9090}\n]')
    again = _pod(yaml.safe_dump(doc), _values())
    assert again == doc


def test_revision_sets_annotation_and_ca_address() -> None:
    doc = _pod(POD, build_values(GOLDEN_VALUES, revision="canary"))
    assert doc["metadata"]["annotations"]["istio.io/rev"] == "canary"
    env = {e["name"]: e.get("value") for e in _container(doc["spec"], "istio-proxy")["env"]}
    assert env["CA_ADDR"] == "istiod-canary.istio-system.svc:15012"


@pytest.mark.parametrize("native", [False, True])
def test_injected_manifests_validate_against_kubernetes_schemas(shared_istio: Path, native: bool) -> None:
    kv = pytest.importorskip("kubernetes_validate")
    for text in (POD, (shared_istio / "inject" / "hello.yaml").read_text()):
        kv.validate(_pod(text, _values(native)), "1.30", strict=True)


def test_cli_writes_output_file_and_reads_value_files(run_cli: Any, tmp_path: Path) -> None:
    src = tmp_path / "pod.yaml"
    src.write_text(POD)
    values = tmp_path / "values.yaml"
    values.write_text(yaml.safe_dump({"global": {"hub": "example.com/istio", "tag": "9.9"}}))
    mesh = tmp_path / "mesh.yaml"
    mesh.write_text("trustDomain: example.org\n")
    out = tmp_path / "out.yaml"
    res = run_cli("kube-inject", "-f", str(src), "-o", str(out), "--values", str(values),
                  "--mesh-config", str(mesh))
    assert res.exit_code == 0, res.stderr
    doc = yaml.safe_load(out.read_text())
    proxy = _container(doc["spec"], "istio-proxy")
    assert proxy["image"] == "example.com/istio/proxyv2:9.9"
    assert {"name": "TRUST_DOMAIN", "value": "example.org"} in proxy["env"]


def test_cli_injection_config_configmap(run_cli: Any, tmp_path: Path) -> None:
    src = tmp_path / "pod.yaml"
    src.write_text(POD)
    cm = tmp_path / "cm.yaml"
    cm.write_text(yaml.safe_dump({"apiVersion": "v1", "kind": "ConfigMap",
                                  "metadata": {"name": "istio-sidecar-injector"},
                                  "data": {"values": json.dumps({"global": {"hub": "h.io", "tag": "1"},
                                                                 "revision": "blue"})}}))
    res = run_cli("kube-inject", "-f", str(src), "--injection-config", str(cm), "--native-sidecar")
    assert res.exit_code == 0, res.stderr
    doc = yaml.safe_load(res.stdout)
    assert _container(doc["spec"], "istio-proxy")["image"] == "h.io/proxyv2:1"
    assert doc["metadata"]["annotations"]["istio.io/rev"] == "blue"


def test_cli_bad_input_is_one_line_exit_65(run_cli: Any, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: Pod\nmetadata: [\n")
    res = run_cli("kube-inject", "-f", str(bad), "--no-use-kube")
    assert res.exit_code == 65
    assert res.stderr.count("\n") == 1 and "bad.yaml" in res.stderr
    assert run_cli("kube-inject", "-f", str(tmp_path / "missing.yaml"), "--no-use-kube").exit_code == 65


def test_default_proxy_image_is_the_one_install_deploys() -> None:
    from meshctl import ISTIO_HUB, ISTIO_VERSION
    from meshctl.install.config import build_config

    values = build_values()
    cfg = build_config()
    assert (values.hub, values.tag) == (cfg.hub, cfg.tag) == (ISTIO_HUB, ISTIO_VERSION)
    got = pod_template(_pod("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
                            "  containers: [{name: app, image: nginx}]\n", values))
    assert got is not None
    assert _container(got["spec"], "istio-proxy")["image"] == cfg.image("proxyv2")
