"""Faults, permissions and the deadline, through the real client and the CLI."""

from __future__ import annotations

import socket
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from meshctl.cluster.client import get_client
from meshctl.errors import ClusterError

from .conftest import options, pod


def _pods(fake_api: Any) -> int:
    return fake_api.requests[("GET", "/api/v1/namespaces/default/pods")]


def test_429_with_retry_after_is_honoured(fake_api: Any) -> None:
    fake_api.add(pod("a"))
    fake_api.faults.fail_next(2, status=429, retry_after=0.3, path_contains="/pods")
    start = time.monotonic()
    assert len(get_client(options(fake_api)).list("Pod", "default")) == 1
    assert time.monotonic() - start >= 0.55
    assert _pods(fake_api) == 3


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_are_retried(fake_api: Any, status: int) -> None:
    fake_api.add(pod("a"))
    fake_api.faults.fail_next(2, status=status, path_contains="/pods")
    assert len(get_client(options(fake_api)).list("Pod", "default")) == 1
    assert _pods(fake_api) == 3


def test_dropped_connections_are_retried(fake_api: Any) -> None:
    fake_api.add(pod("a"))
    fake_api.faults.drop_next(2, path_contains="/pods")
    assert get_client(options(fake_api)).get("Pod", "a", "default") is not None


def test_no_retry_on_post(fake_api: Any) -> None:
    client = get_client(options(fake_api))
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}
    fake_api.faults.fail_next(1, status=503, path_contains="/configmaps", method="POST")
    with pytest.raises(ClusterError, match="503"):
        client.create(cm)
    fake_api.faults.drop_next(1, path_contains="/configmaps")
    with pytest.raises(ClusterError, match="dropped during POST"):
        client.create(cm)
    assert fake_api.requests[("POST", "/api/v1/namespaces/default/configmaps")] == 2


def test_apply_is_retried(fake_api: Any) -> None:
    client = get_client(options(fake_api))
    fake_api.faults.fail_next(1, status=500, path_contains="/configmaps/c", method="PATCH")
    client.apply({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}})
    assert fake_api.get_object("", "v1", "configmaps", "c", "default") is not None


def test_forbidden_is_one_sentence(fake_api: Any) -> None:
    fake_api.deny("list", "pods", namespace="default")
    with pytest.raises(ClusterError) as err:
        get_client(options(fake_api)).list("Pod", "default")
    assert str(err.value) == "permission denied: cannot list pods in namespace default (403 Forbidden)"


def test_unauthorized(fake_api: Any, tmp_path: Path) -> None:
    config = yaml.safe_load(Path(fake_api.kubeconfig).read_text())
    for user in config["users"]:
        user["user"]["token"] = "wrong"
    path = tmp_path / "kubeconfig"
    path.write_text(yaml.safe_dump(config))
    from meshctl.cluster.options import ClusterOptions

    with pytest.raises(ClusterError) as err:
        get_client(ClusterOptions(kubeconfig=str(path))).list("Pod", "default")
    assert str(err.value) == ("unauthorized (401): the credentials in the kubeconfig were rejected while "
                              "listing pods in namespace default")


def test_can_i(fake_api: Any) -> None:
    fake_api.deny("create", "pods", namespace="prod")
    client = get_client(options(fake_api))
    assert client.can_i("list", "pods", namespace="prod")
    assert not client.can_i("create", "pods", namespace="prod")
    assert client.can_i("create", "pods", namespace="dev")
    assert fake_api.requests[("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews")] == 3


def test_timeout_is_a_deadline(fake_api: Any) -> None:
    fake_api.faults.slow(5.0, path_contains="/pods")
    client = get_client(options(fake_api, timeout=1.0))
    start = time.monotonic()
    with pytest.raises(ClusterError, match=r"timed out after 1s .*GET /api/v1/namespaces/default/pods"):
        client.list("Pod", "default")
    assert time.monotonic() - start < 2.5


def test_timeout_through_the_cli(fake_api: Any, run_cli: Any) -> None:
    fake_api.faults.slow(5.0, path_contains="/apis")
    start = time.monotonic()
    res = run_cli("analyze", "--kubeconfig", fake_api.kubeconfig, "--timeout", "1")
    assert res.exit_code == 1 and time.monotonic() - start < 3.0
    assert res.stderr.startswith("Error: timed out after 1s") and len(res.stderr.splitlines()) == 1


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_unreachable_server_fails_fast(fake_api: Any, tmp_path: Path, run_cli: Any) -> None:
    config = yaml.safe_load(Path(fake_api.kubeconfig).read_text())
    url = f"https://127.0.0.1:{_closed_port()}"
    for cluster in config["clusters"]:
        cluster["cluster"]["server"] = url
    path = tmp_path / "kubeconfig"
    path.write_text(yaml.safe_dump(config))
    start = time.monotonic()
    res = run_cli("analyze", "--kubeconfig", str(path))
    assert time.monotonic() - start < 3.0
    assert res.exit_code == 1
    assert res.stderr == f"Error: cannot reach the Kubernetes API server at {url}: connection refused\n"


def test_tls_is_verified_by_default(fake_api: Any, tmp_path: Path) -> None:
    config = yaml.safe_load(Path(fake_api.kubeconfig).read_text())
    for cluster in config["clusters"]:
        cluster["cluster"].pop("certificate-authority", None)
        cluster["cluster"].pop("certificate-authority-data", None)
    path = tmp_path / "kubeconfig"
    path.write_text(yaml.safe_dump(config))
    from meshctl.cluster.options import ClusterOptions

    with pytest.raises(ClusterError) as err:
        get_client(ClusterOptions(kubeconfig=str(path))).list("Pod", "default")
    message = str(err.value)
    assert message.startswith(f"cannot reach the Kubernetes API server at {fake_api.url}: TLS")
    assert "\n" not in message


def test_debug_logs_never_carry_secret_data(fake_api: Any, caplog: pytest.LogCaptureFixture) -> None:
    import logging

    caplog.set_level(logging.DEBUG)
    client = get_client(options(fake_api))
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "default"},
              "data": {"key": "c3VwZXJzZWNyZXQ="}, "stringData": {"pw": "hunter2"}}
    fake_api.faults.fail_next(1, status=500, path_contains="/secrets")
    client.apply(secret)
    client.list("Secret", "default")
    assert caplog.records
    assert "c3VwZXJzZWNyZXQ" not in caplog.text and "hunter2" not in caplog.text
