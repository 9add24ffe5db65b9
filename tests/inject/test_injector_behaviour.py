"""kube-inject behaviours beyond the shared table, through the CLI: probes, templates, errors, kinds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for var in ("KUBECONFIG", "KUBERNETES_SERVICE_HOST"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))


def _pod(annotations: dict[str, str] | None = None, **container: Any) -> dict[str, Any]:
    app = {"name": "app", "image": "nginx", "ports": [{"name": "http", "containerPort": 8080}], **container}
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "web", "namespace": "shop", "labels": {"app": "web"},
                         "annotations": annotations or {}},
            "spec": {"containers": [app]}}


def _run(run_cli: Any, tmp_path: Path, doc: Any, *args: str) -> Any:
    path = tmp_path / "in.yaml"
    path.write_text(yaml.safe_dump_all(doc if isinstance(doc, list) else [doc]), encoding="utf-8")
    return run_cli("kube-inject", "-f", str(path), *args)


def _inject(run_cli: Any, tmp_path: Path, doc: Any, *args: str) -> dict[str, Any]:
    res = _run(run_cli, tmp_path, doc, *args)
    assert res.exit_code == 0, res.stderr
    return dict(yaml.safe_load(res.stdout))


def _container(pod: dict[str, Any], name: str) -> dict[str, Any]:
    spec = pod["spec"]
    return next(c for c in [*spec.get("initContainers", []), *spec["containers"]] if c["name"] == name)


def _env(container: dict[str, Any]) -> dict[str, Any]:
    return {e["name"]: e.get("value") for e in container.get("env") or []}


def test_https_grpc_and_tcp_probes_go_through_the_agent(run_cli: Any, tmp_path: Path) -> None:
    pod = _inject(run_cli, tmp_path, _pod(
        readinessProbe={"httpGet": {"port": "http", "path": "/r", "scheme": "HTTPS",
                                    "httpHeaders": [{"name": "X", "value": "1"}]}, "timeoutSeconds": 5},
        livenessProbe={"grpc": {"port": 9000}},
        startupProbe={"tcpSocket": {"port": 8080}, "periodSeconds": 7}))
    app = _container(pod, "app")
    assert app["readinessProbe"]["httpGet"] == {"path": "/app-health/app/readyz", "port": 15020, "scheme": "HTTP",
                                                "httpHeaders": [{"name": "X", "value": "1"}]}
    assert app["livenessProbe"] == {"httpGet": {"path": "/app-health/app/livez", "port": 15020}}
    assert app["startupProbe"] == {"httpGet": {"path": "/app-health/app/startupz", "port": 15020}, "periodSeconds": 7}
    probers = json.loads(_env(_container(pod, "istio-proxy"))["ISTIO_KUBE_APP_PROBERS"])
    assert probers == {
        "/app-health/app/readyz": {"httpGet": {"port": 8080, "path": "/r", "scheme": "HTTPS",
                                               "httpHeaders": [{"name": "X", "value": "1"}]}, "timeoutSeconds": 5},
        "/app-health/app/livez": {"grpc": {"port": 9000}},
        "/app-health/app/startupz": {"tcpSocket": {"port": 8080}},
    }


def test_reinjection_keeps_rewritten_probes_and_their_probers(run_cli: Any, tmp_path: Path) -> None:
    first = _inject(run_cli, tmp_path, _pod(readinessProbe={"httpGet": {"port": 8080, "path": "/r"}}),
                    "--native-sidecar")
    again = _inject(run_cli, tmp_path, first, "--native-sidecar")
    assert again == first
    probers = json.loads(_env(_container(again, "istio-proxy"))["ISTIO_KUBE_APP_PROBERS"])
    assert probers == {"/app-health/app/readyz": {"httpGet": {"path": "/r", "port": 8080}}}


def test_rewriting_turned_off_by_annotation_or_values(run_cli: Any, tmp_path: Path) -> None:
    probe = {"httpGet": {"port": 8080}}
    pod = _inject(run_cli, tmp_path, _pod({"sidecar.istio.io/rewriteAppHTTPProbers": "false"}, readinessProbe=probe))
    assert _container(pod, "app")["readinessProbe"] == probe
    values = tmp_path / "values.yaml"
    values.write_text("sidecarInjectorWebhook:\n  rewriteAppHTTPProbe: false\n", encoding="utf-8")
    pod = _inject(run_cli, tmp_path, _pod(readinessProbe=probe), "--values", str(values))
    assert _container(pod, "app")["readinessProbe"] == probe
    assert "ISTIO_KUBE_APP_PROBERS" not in _env(_container(pod, "istio-proxy"))


@pytest.mark.parametrize(("key", "value", "parameter"), [
    ("traffic.sidecar.istio.io/includeOutboundIPRanges", "10.0.0.0/33", "includeIPRanges"),
    ("traffic.sidecar.istio.io/excludeOutboundIPRanges", "*", "excludeIPRanges"),
    ("traffic.sidecar.istio.io/includeInboundPorts", "80,http", "includeInboundPorts"),
    ("traffic.sidecar.istio.io/excludeInboundPorts", "70000", "excludeInboundPorts"),
    ("traffic.sidecar.istio.io/excludeOutboundPorts", "*", "excludeOutboundPorts"),
    ("sidecar.istio.io/interceptionMode", "MAGIC", "interceptionMode"),
    ("status.sidecar.istio.io/port", "x", "statusPort"),
])
def test_invalid_traffic_annotations_exit_65(run_cli: Any, tmp_path: Path, key: str, value: str,
                                             parameter: str) -> None:
    res = _run(run_cli, tmp_path, _pod({key: value}))
    assert res.exit_code == 65
    assert res.stdout == ""
    assert key in res.stderr and repr(value) in res.stderr and parameter in res.stderr
    assert res.stderr.strip().count("\n") == 0


def test_templates_gateway_grpc_agent_and_errors(run_cli: Any, tmp_path: Path) -> None:
    agent = _inject(run_cli, tmp_path, _pod({"inject.istio.io/templates": "grpc-agent"}))
    proxy = _container(agent, "istio-proxy")
    assert _env(proxy)["DISABLE_ENVOY"] == "true" and "initContainers" not in agent["spec"]
    assert _env(_container(agent, "app"))["GRPC_XDS_BOOTSTRAP"] == "/etc/istio/proxy/grpc-bootstrap.json"
    unknown = _run(run_cli, tmp_path, _pod({"inject.istio.io/templates": "nope"}))
    assert unknown.exit_code == 65 and "unknown injection template 'nope'" in unknown.stderr
    values = tmp_path / "values.yaml"
    values.write_text(yaml.safe_dump({"sidecarInjectorWebhook": {"templates": {
        "custom": "spec:\n  containers:\n  {{- range $c := .Spec.Containers }}\n  - name: {{ $c.Name }}\n"
                  "    env: [{name: NS, value: {{ valueOrDefault $.DeploymentMeta.Namespace `none` | quote }}}]\n"
                  "  {{- end }}\n",
        "other": "{{ define \"x\" }}{{ end }}",
        "plain": "metadata:\n  labels:\n    extra: yes-please\n"}}}), encoding="utf-8")
    custom = _inject(run_cli, tmp_path, _pod({"inject.istio.io/templates": "custom"}), "--values", str(values))
    assert _env(_container(custom, "app"))["NS"] == "shop"
    assert json.loads(custom["metadata"]["annotations"]["sidecar.istio.io/status"])["containers"] == ["app"]
    refused = _run(run_cli, tmp_path, _pod({"inject.istio.io/templates": "other"}), "--values", str(values))
    assert refused.exit_code == 65
    assert "'other'" in refused.stderr and "cannot be applied by meshctl" in refused.stderr
    plain = _inject(run_cli, tmp_path, _pod({"inject.istio.io/templates": "sidecar,plain"}), "--values", str(values))
    assert plain["metadata"]["labels"]["extra"] == "yes-please"
    assert _container(plain, "istio-proxy")


def test_user_fields_on_istio_proxy_win_and_are_recorded(run_cli: Any, tmp_path: Path) -> None:
    doc = _pod()
    doc["spec"]["containers"].append({"name": "istio-proxy", "image": "auto",
                                      "env": [{"name": "EXTRA", "value": "1"}],
                                      "resources": {"limits": {"memory": "2Gi"}}})
    pod = _inject(run_cli, tmp_path, doc)
    proxy = _container(pod, "istio-proxy")
    assert _env(proxy)["EXTRA"] == "1" and "PROXY_CONFIG" in _env(proxy)
    assert proxy["resources"]["limits"] == {"cpu": "2", "memory": "2Gi"}
    assert proxy["image"] != "auto"
    recorded = json.loads(pod["metadata"]["annotations"]["proxy.istio.io/overrides"])
    assert recorded["containers"][0]["env"] == [{"name": "EXTRA", "value": "1"}]
    assert _inject(run_cli, tmp_path, pod) == pod


@pytest.mark.parametrize("kind", ["ReplicationController", "Job", "DeploymentConfig", "StatefulSet"])
def test_every_workload_kind(run_cli: Any, tmp_path: Path, kind: str) -> None:
    pod = _pod()
    api = {"Job": "batch/v1", "StatefulSet": "apps/v1", "DeploymentConfig": "apps.openshift.io/v1"}.get(kind, "v1")
    doc = {"apiVersion": api, "kind": kind, "metadata": {"name": "w"},
           "spec": {"template": {"metadata": pod["metadata"], "spec": pod["spec"]}}}
    out = _inject(run_cli, tmp_path, {"apiVersion": "v1", "kind": "List", "items": [doc]})
    tpl = out["items"][0]["spec"]["template"]
    assert _env(_container(tpl, "istio-proxy"))["ISTIO_META_OWNER"].endswith(f"/{kind.lower()}s/w")


def test_host_network_pods_are_left_alone_with_a_warning(run_cli: Any, tmp_path: Path) -> None:
    doc = _pod()
    doc["spec"]["hostNetwork"] = True
    res = _run(run_cli, tmp_path, doc)
    assert res.exit_code == 0
    assert yaml.safe_load(res.stdout) == doc
    assert 'Pod "shop/web" has host networking enabled' in res.stderr


def test_cni_writes_istio_validation_and_the_capture_annotations(run_cli: Any, tmp_path: Path) -> None:
    values = tmp_path / "values.yaml"
    values.write_text("pilot:\n  cni:\n    enabled: true\n    provider: multus\n", encoding="utf-8")
    pod = _inject(run_cli, tmp_path, _pod({"traffic.sidecar.istio.io/excludeOutboundPorts": "9000",
                                           "k8s.v1.cni.cncf.io/networks": "macvlan"}), "--values", str(values))
    ann = pod["metadata"]["annotations"]
    assert ann["k8s.v1.cni.cncf.io/networks"] == "macvlan, default/istio-cni"
    assert ann["traffic.sidecar.istio.io/excludeOutboundPorts"] == "9000"
    assert ann["sidecar.istio.io/interceptionMode"] == "REDIRECT"
    validation = _container(pod, "istio-validation")
    assert "--run-validation" in validation["args"] and "NET_ADMIN" not in json.dumps(validation)
    assert all(c["name"] != "istio-init" for c in pod["spec"].get("initContainers", []))


@pytest.mark.parametrize(("current", "want"), [
    ("", "default/istio-cni"),
    ("macvlan, default/istio-cni", "macvlan, default/istio-cni"),
    ('[{"name": "macvlan"}]', '[{"name": "macvlan"}, {"name": "default/istio-cni"}]'),
    ('[{"name": "default/istio-cni"}]', '[{"name": "default/istio-cni"}]'),
])
def test_multus_networks_get_istio_cni_once(current: str, want: str) -> None:
    from meshctl.inject.podspec import append_multus_network

    assert append_multus_network(current, "default/istio-cni") == want


def test_null_proxy_resources_in_values_give_no_resources(run_cli: Any, tmp_path: Path) -> None:
    values = tmp_path / "values.yaml"
    values.write_text("global:\n  proxy:\n    resources: null\n", encoding="utf-8")
    pod = _inject(run_cli, tmp_path, _pod(), "--values", str(values))
    assert not _container(pod, "istio-proxy").get("resources")
