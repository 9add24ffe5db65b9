"""Config resolution: --kubeconfig, KUBECONFIG merging, --context, in-cluster."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from meshctl.cluster.kubeconfig import kubeconfig_paths, merge_kubeconfigs, resolve
from meshctl.errors import ClusterError


def _config(path: Path, contexts: dict[str, tuple[str, str | None]], clusters: dict[str, str],
            current: str | None = None, **extra: object) -> Path:
    doc = {
        "apiVersion": "v1", "kind": "Config",
        "clusters": [{"name": n, "cluster": {"server": s}} for n, s in clusters.items()],
        "users": [{"name": "u", "user": {"token": "t"}}],
        "contexts": [{"name": n, "context": {"cluster": c, "user": "u", **({"namespace": ns} if ns else {})}}
                     for n, (c, ns) in contexts.items()],
        **extra,
    }
    if current:
        doc["current-context"] = current
    path.write_text(yaml.safe_dump(doc))
    return path


def test_explicit_kubeconfig_uses_current_context(tmp_path: Path) -> None:
    path = _config(tmp_path / "k", {"a": ("c1", "team")}, {"c1": "https://one:6443/"}, current="a")
    resolved = resolve(str(path), None, environ={})
    assert (resolved.context_name, resolved.namespace, resolved.server) == ("a", "team", "https://one:6443")


def test_context_flag_and_default_namespace(tmp_path: Path) -> None:
    path = _config(tmp_path / "k", {"a": ("c1", "team"), "b": ("c2", None)},
                   {"c1": "https://one", "c2": "https://two"}, current="a")
    resolved = resolve(str(path), "b", environ={})
    assert (resolved.context_name, resolved.namespace, resolved.server) == ("b", "default", "https://two")


def test_unknown_context_is_one_sentence(tmp_path: Path) -> None:
    path = _config(tmp_path / "k", {"a": ("c1", None)}, {"c1": "https://one"}, current="a")
    with pytest.raises(ClusterError, match="context 'nope' does not exist"):
        resolve(str(path), "nope", environ={})


def test_missing_explicit_file(tmp_path: Path) -> None:
    with pytest.raises(ClusterError, match="does not exist"):
        resolve(str(tmp_path / "missing"), None, environ={})


def test_kubeconfig_env_merges_first_file_wins(tmp_path: Path) -> None:
    first = _config(tmp_path / "first", {"a": ("c1", "ns1")}, {"c1": "https://first"}, current="a")
    second = _config(tmp_path / "second", {"a": ("c1", "ns2"), "b": ("c2", "ns3")},
                     {"c1": "https://second", "c2": "https://other"}, current="b")
    env = {"KUBECONFIG": os.pathsep.join([str(first), str(tmp_path / "absent"), str(second)])}
    resolved = resolve(None, None, environ=env)
    assert (resolved.context_name, resolved.namespace, resolved.server) == ("a", "ns1", "https://first")
    other = resolve(None, "b", environ=env)
    assert (other.namespace, other.server) == ("ns3", "https://other")


def test_current_context_from_a_later_file(tmp_path: Path) -> None:
    first = _config(tmp_path / "first", {"a": ("c1", None)}, {"c1": "https://first"})
    second = _config(tmp_path / "second", {}, {}, current="a")
    resolved = resolve(None, None, environ={"KUBECONFIG": f"{first}{os.pathsep}{second}"})
    assert resolved.server == "https://first"


def test_relative_paths_resolve_against_their_own_file(tmp_path: Path) -> None:
    sub = tmp_path / "sub"
    sub.mkdir()
    doc = {"clusters": [{"name": "c", "cluster": {"server": "https://x", "certificate-authority": "ca.crt"}}],
           "users": [{"name": "u", "user": {"client-key": "/abs/key"}}], "contexts": []}
    merged = merge_kubeconfigs([(doc, sub)])
    assert merged["clusters"][0]["cluster"]["certificate-authority"] == str(sub / "ca.crt")
    assert merged["users"][0]["user"]["client-key"] == "/abs/key"


def test_paths_default_to_home(tmp_path: Path) -> None:
    assert kubeconfig_paths(None, {"HOME": str(tmp_path)}) == []
    (tmp_path / ".kube").mkdir()
    (tmp_path / ".kube" / "config").write_text("{}")
    assert kubeconfig_paths(None, {"HOME": str(tmp_path)}) == [tmp_path / ".kube" / "config"]


def _service_account(tmp_path: Path, namespace: str | None = "mesh") -> Path:
    sa = tmp_path / "sa"
    sa.mkdir()
    (sa / "token").write_text("sa-token")
    (sa / "ca.crt").write_text("-----BEGIN CERTIFICATE-----\n")
    if namespace:
        (sa / "namespace").write_text(namespace + "\n")
    return sa


def test_in_cluster(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import meshctl.cluster.kubeconfig as kc

    monkeypatch.setattr(kc, "SA_DIR", _service_account(tmp_path))
    env = {"HOME": str(tmp_path), "KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"}
    resolved = resolve(None, None, environ=env)
    assert resolved.in_cluster
    assert (resolved.context_name, resolved.namespace, resolved.server) == (
        "in-cluster", "mesh", "https://10.0.0.1:443")


def test_in_cluster_without_namespace_file(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path), "KUBERNETES_SERVICE_HOST": "fd00::1", "KUBERNETES_SERVICE_PORT": "6443"}
    resolved = resolve(None, None, environ=env, sa_dir=_service_account(tmp_path, None))
    assert (resolved.namespace, resolved.server) == ("default", "https://[fd00::1]:6443")


def test_no_config_at_all(tmp_path: Path) -> None:
    with pytest.raises(ClusterError, match="no kubeconfig found"):
        resolve(None, None, environ={"HOME": str(tmp_path)})


def test_in_cluster_builds_a_client(tmp_path: Path) -> None:
    from meshctl.cluster.transport import build_api_client

    env = {"HOME": str(tmp_path), "KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"}
    resolved = resolve(None, None, environ=env, sa_dir=_service_account(tmp_path))
    api = build_api_client(resolved)
    assert api.configuration.host == "https://10.0.0.1:443"
    assert api.configuration.verify_ssl is True
    assert api.configuration.retries is False


def test_insecure_skip_tls_verify_is_obeyed_with_one_warning(fake_api, run_cli, tmp_path) -> None:
    import yaml as _yaml

    config = _yaml.safe_load(Path(fake_api.kubeconfig).read_text())
    cluster = config["clusters"][0]["cluster"]
    cluster.pop("certificate-authority", None)
    cluster.pop("certificate-authority-data", None)
    cluster["insecure-skip-tls-verify"] = True
    path = tmp_path / "insecure.yaml"
    path.write_text(_yaml.safe_dump(config))
    res = run_cli("analyze", "-A", "--kubeconfig", str(path), "--analyzer", "service.PortNameAnalyzer", "-o", "json")
    assert res.exit_code == 0, res.stderr
    assert res.stderr.count("\n") == 1 and "TLS verification" in res.stderr
    assert "InsecureRequestWarning" not in res.stderr
