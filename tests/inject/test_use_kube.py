"""kube-inject --use-kube against a real kube-apiserver, with the ConfigMaps Istio's istiod chart renders.

The ``istio-sidecar-injector`` and ``istio`` ConfigMaps of a default and a ``canary``
revision are rendered by ``meshctl.install.manifest.render_objects`` from
``../shared/istio/charts`` (with a mesh ``defaultConfig`` and a hub of this test's own),
and applied in a namespace of this test's own, passed as ``--istioNamespace``.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import SHARED_ISTIO
from tests.realkube.objects import apply, namespace

CHARTS = SHARED_ISTIO / "charts"
HUB = "example.test/istio"
POD = """apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec:
  containers:
  - name: web
    image: nginx
    readinessProbe: {httpGet: {port: 8080, path: /ready}}
"""


def _configmaps(revision: str | None) -> list[dict[str, Any]]:
    from meshctl.install.manifest import render_objects

    sets = [f"values.global.hub={HUB}", "values.global.tag=9.9.9", "meshConfig.defaultConfig.drainDuration=23s"]
    objs = render_objects(charts_dir=CHARTS, revision=revision, set_values=sets)
    return [o for o in objs if o.get("kind") == "ConfigMap"
            and o["metadata"]["name"].startswith(("istio-sidecar-injector", "istio"))]


@pytest.fixture(scope="module")
def rendered() -> list[dict[str, Any]]:
    if not (CHARTS / "istio-control").is_dir():
        pytest.skip(f"{CHARTS} is absent")
    return _configmaps(None) + _configmaps("canary")


@pytest.fixture
def istio_ns(real_kube: Any, rendered: list[dict[str, Any]]) -> str:
    name = f"inj-{uuid.uuid4().hex[:8]}"
    namespace(real_kube, name)
    for cm in rendered:
        body = json.loads(json.dumps(cm))
        body["metadata"] = {"name": cm["metadata"]["name"], "namespace": name,
                            "labels": cm["metadata"].get("labels") or {}}
        apply(real_kube, body)
    return name


@pytest.fixture
def pod_file(tmp_path: Path) -> str:
    path = tmp_path / "pod.yaml"
    path.write_text(POD, encoding="utf-8")
    return str(path)


def _proxy(text: str) -> tuple[dict[str, Any], dict[str, Any]]:
    pod = yaml.safe_load(text)
    containers = [*pod["spec"].get("initContainers", []), *pod["spec"]["containers"]]
    return pod, next(c for c in containers if c["name"] == "istio-proxy")


def _env(container: dict[str, Any]) -> dict[str, str]:
    return {e["name"]: e.get("value", "") for e in container.get("env") or []}


def test_values_and_mesh_config_come_from_the_cluster(run_cli: Any, real_kubeconfig: Any, istio_ns: str,
                                                       pod_file: str) -> None:
    res = run_cli("kube-inject", "--use-kube", "--kubeconfig", real_kubeconfig(), "--istioNamespace", istio_ns,
                  "-f", pod_file)
    assert res.exit_code == 0, res.stderr
    pod, proxy = _proxy(res.stdout)
    assert proxy["image"] == f"{HUB}/proxyv2:9.9.9"
    env = _env(proxy)
    assert json.loads(env["PROXY_CONFIG"])["drainDuration"] == "23s"
    assert env["CA_ADDR"] == "istiod.istio-system.svc:15012"  # from the values, not where they were read
    assert json.loads(env["ISTIO_KUBE_APP_PROBERS"]) == {"/app-health/web/readyz": {
        "httpGet": {"path": "/ready", "port": 8080}}}
    assert json.loads(pod["metadata"]["annotations"]["sidecar.istio.io/status"])["revision"] == "default"


def test_a_revision_reads_its_own_configmaps(run_cli: Any, real_kubeconfig: Any, istio_ns: str,
                                             pod_file: str) -> None:
    res = run_cli("kube-inject", "--use-kube", "--kubeconfig", real_kubeconfig(), "--istioNamespace", istio_ns,
                  "--revision", "canary", "-f", pod_file)
    assert res.exit_code == 0, res.stderr
    pod, proxy = _proxy(res.stdout)
    assert _env(proxy)["CA_ADDR"] == "istiod-canary.istio-system.svc:15012"  # the values' istioNamespace
    assert pod["metadata"]["annotations"]["istio.io/rev"] == "canary"


def test_files_override_the_cluster(run_cli: Any, real_kubeconfig: Any, istio_ns: str, pod_file: str,
                                    tmp_path: Path) -> None:
    values = tmp_path / "values.yaml"
    values.write_text("global:\n  proxy:\n    statusPort: 0\n", encoding="utf-8")
    res = run_cli("kube-inject", "--use-kube", "--kubeconfig", real_kubeconfig(), "--istioNamespace", istio_ns,
                  "--values", str(values), "-f", pod_file)
    assert res.exit_code == 0, res.stderr
    _, proxy = _proxy(res.stdout)
    assert proxy["image"] == f"{HUB}/proxyv2:9.9.9"
    assert "readinessProbe" not in proxy


def test_unknown_revision_is_an_error(run_cli: Any, real_kubeconfig: Any, istio_ns: str, pod_file: str) -> None:
    res = run_cli("kube-inject", "--use-kube", "--kubeconfig", real_kubeconfig(), "--istioNamespace", istio_ns,
                  "--revision", "nope", "-f", pod_file)
    assert res.exit_code == 1
    assert res.stdout == ""
    assert "revision 'nope' is not installed" in res.stderr
    assert "installed: canary, default" in res.stderr
    assert res.stderr.strip().count("\n") == 0


def test_istio_not_installed_is_an_error(run_cli: Any, real_kube: Any, real_kubeconfig: Any,
                                         pod_file: str) -> None:
    empty = f"inj-empty-{uuid.uuid4().hex[:8]}"
    namespace(real_kube, empty)
    res = run_cli("kube-inject", "--use-kube", "--kubeconfig", real_kubeconfig(), "--istioNamespace", empty,
                  "-f", pod_file)
    assert res.exit_code == 1
    assert res.stdout == ""
    assert f"Istio is not installed: no ConfigMap istio-sidecar-injector in namespace {empty}" in res.stderr
    # the same cluster without Istio, when the cluster is used by default (a kubeconfig, no value files)
    implicit = run_cli("kube-inject", "--kubeconfig", real_kubeconfig(), "--istioNamespace", empty, "-f", pod_file)
    assert implicit.exit_code == 1
    assert "Istio is not installed" in implicit.stderr


def test_no_use_kube_never_reads_the_cluster(run_cli: Any, pod_file: str, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-kubeconfig"
    res = run_cli("kube-inject", "--no-use-kube", "--kubeconfig", str(missing), "-f", pod_file)
    assert res.exit_code == 0, res.stderr
    _, proxy = _proxy(res.stdout)
    assert proxy["image"].endswith("/proxyv2:" + proxy["image"].rsplit(":", 1)[-1])
