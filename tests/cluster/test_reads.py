"""Reads through the real client against the fake API server."""

from __future__ import annotations

from datetime import UTC
from typing import Any

import pytest

from meshctl.cluster.client import get_client
from meshctl.errors import ClusterError

from .conftest import crd, lists_of, options, pod


def _client(fake_api: Any, **kw: Any):  # type: ignore[no-untyped-def]
    return get_client(options(fake_api, **kw))


def test_client_identity(fake_api: Any) -> None:
    client = _client(fake_api)
    assert (client.context_name, client.default_namespace) == ("fake", "default")
    assert client is get_client(options(fake_api))
    fake_api.set_version("v1.30.2-gke.1")
    assert client.server_version()["gitVersion"] == "v1.30.2-gke.1"


def test_pagination_500_per_page(fake_api: Any) -> None:
    for i in range(1201):
        fake_api.add(pod(f"p{i:04d}", "default"))
    fake_api.reset_counters()
    items = _client(fake_api).list("Pod", namespace="default")
    assert len(items) == 1201 and len({i["metadata"]["name"] for i in items}) == 1201
    assert all(i["kind"] == "Pod" and i["apiVersion"] == "v1" for i in items)
    assert fake_api.requests[("GET", "/api/v1/namespaces/default/pods")] == 3
    assert [q.get("limit") for _, _, q in fake_api.request_log] == ["500"] * 3


def test_gone_on_continue_restarts_the_list_once(fake_api: Any) -> None:
    for i in range(700):
        fake_api.add(pod(f"p{i}"))
    fake_api.faults.gone_on_continue(1)
    fake_api.reset_counters()
    assert len(_client(fake_api).list("Pod")) == 700
    assert fake_api.requests[("GET", "/api/v1/pods")] == 4  # page, 410, page, page


def test_gone_twice_is_an_error(fake_api: Any) -> None:
    for i in range(700):
        fake_api.add(pod(f"p{i}"))
    fake_api.faults.gone_on_continue(2)
    with pytest.raises(ClusterError, match="410"):
        _client(fake_api).list("Pod")


def test_label_and_field_selectors(fake_api: Any) -> None:
    fake_api.add(pod("web", labels={"app": "web", "tier": "fe"}))
    fake_api.add(pod("db", labels={"app": "db"}))
    fake_api.add(pod("old", labels={"app": "web", "legacy": "true"}))
    client = _client(fake_api)

    def names(**kw: Any) -> list[str]:
        return sorted(i["metadata"]["name"] for i in client.list("Pod", **kw))

    assert names(label_selector={"app": "web"}) == ["old", "web"]
    assert names(label_selector="app in (web,db),!legacy") == ["db", "web"]
    assert names(field_selector="metadata.name=db") == ["db"]
    in_default = names(namespace="default", field_selector={"metadata.namespace": "default"})
    assert in_default == ["db", "old", "web"]


def test_get_and_404(fake_api: Any) -> None:
    fake_api.add(pod("web"))
    client = _client(fake_api)
    assert client.get("Pod", "web")["metadata"]["name"] == "web"
    assert client.get("Pod", "nope", "default") is None
    assert client.get("Namespace", "kube-system")["metadata"]["name"] == "kube-system"
    assert client.get_resource("", "v1", "pods", "web", "default")["kind"] == "Pod"
    assert client.get_resource("", "v1", "pods", "missing", "default") is None


def test_crd_kinds_through_discovery(fake_api: Any) -> None:
    client = _client(fake_api)
    assert "VirtualService" not in client.served_kinds()
    reset_and_add = [crd("networking.istio.io", "VirtualService", "virtualservices", ("v1beta1",)),
                     crd("example.com", "Widget", "widgets")]
    for obj in reset_and_add:
        fake_api.add(obj)
    from meshctl.cluster.client import reset_clients

    reset_clients()
    client = _client(fake_api)
    fake_api.add({"apiVersion": "networking.istio.io/v1beta1", "kind": "VirtualService",
                  "metadata": {"name": "r", "namespace": "default"}, "spec": {"hosts": ["a"]}})
    fake_api.add({"apiVersion": "example.com/v1", "kind": "Widget",
                  "metadata": {"name": "w", "namespace": "default"}})
    assert {"VirtualService", "Widget"} <= client.served_kinds()
    [vs] = client.list("VirtualService")
    assert (vs["apiVersion"], vs["kind"]) == ("networking.istio.io/v1beta1", "VirtualService")
    [widget] = client.list("Widget")
    assert widget["kind"] == "Widget"
    assert [w["metadata"]["name"] for w in client.list_resource("example.com", "v1", "widgets")] == ["w"]
    assert ("example.com", "v1", "widgets", "Widget", True) in client.served_resources()
    with pytest.raises(ClusterError, match="does not serve Telemetry"):
        client.list("Telemetry")


def test_discovery_happens_once(fake_api: Any) -> None:
    client = _client(fake_api)
    client.served_kinds()
    client.served_resources()
    client.list("VirtualService") if "VirtualService" in client.served_kinds() else None
    assert fake_api.requests[("GET", "/apis")] == 1
    assert fake_api.requests[("GET", "/api/v1")] == 1


def test_cluster_scoped_list_ignores_namespace(fake_api: Any) -> None:
    names = {n["metadata"]["name"] for n in _client(fake_api).list("Namespace", namespace="default")}
    assert {"default", "kube-system", "istio-system"} & names
    assert lists_of(fake_api, "/api/v1/namespaces") == 1


def test_in_cluster_service_account(fake_api: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    import meshctl.cluster.kubeconfig as kc
    from meshctl.cluster.options import ClusterOptions

    sa = tmp_path / "sa"
    sa.mkdir()
    (sa / "token").write_text(fake_api.token)
    shutil.copy(fake_api.ca_file, sa / "ca.crt")
    (sa / "namespace").write_text("team")
    monkeypatch.setattr(kc, "SA_DIR", sa)
    monkeypatch.delenv("KUBECONFIG", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("KUBERNETES_SERVICE_HOST", "127.0.0.1")
    monkeypatch.setenv("KUBERNETES_SERVICE_PORT", str(fake_api.port))
    fake_api.add(pod("a", "team"))
    client = get_client(ClusterOptions())
    assert (client.context_name, client.default_namespace) == ("in-cluster", "team")
    assert [p["metadata"]["name"] for p in client.list("Pod", client.default_namespace)] == ["a"]


def test_kubeconfig_env_through_the_real_client(fake_api: Any, tmp_path: Any,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from meshctl.cluster.options import ClusterOptions

    other = tmp_path / "other"
    other.write_text("apiVersion: v1\nkind: Config\ncurrent-context: elsewhere\n"
                     "contexts: [{name: elsewhere, context: {cluster: nowhere}}]\n"
                     "clusters: [{name: nowhere, cluster: {server: 'https://127.0.0.1:1'}}]\n")
    monkeypatch.setenv("KUBECONFIG", os.pathsep.join([str(tmp_path / "missing"), fake_api.kubeconfig,
                                                      str(other)]))
    client = get_client(ClusterOptions())
    assert client.context_name == "fake" and client.server == fake_api.url
    assert client.list("Namespace")


def test_server_date_comes_from_the_date_header(fake_api: Any) -> None:
    from datetime import datetime

    from meshctl.cluster.client import get_client

    from .conftest import options

    date = get_client(options(fake_api)).server_date()
    assert date is not None and abs((datetime.now(UTC) - date).total_seconds()) < 60
