"""``meshctl.sources.cluster``: the commands' use cases get their client here, made only when asked for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from meshctl.cluster.options import ClusterOptions
from meshctl.sources import cluster


def test_connector_makes_the_client_once_and_only_when_called(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[ClusterOptions] = []

    def fake_get_client(opts: ClusterOptions) -> Any:
        made.append(opts)
        return object()

    monkeypatch.setattr("meshctl.cluster.client.get_client", fake_get_client)
    opts = ClusterOptions(kubeconfig="/nowhere", timeout=5.0)
    connect = cluster.connector(opts)
    assert made == [], "no client before a use case asks for one"
    first = connect()
    assert connect() is first and made == [opts]


def test_configured_by_context_kubeconfig_or_in_cluster(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("KUBERNETES_SERVICE_HOST", raising=False)
    monkeypatch.setenv("KUBECONFIG", "")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cluster.configured(None, None) is False
    assert cluster.configured(None, "kind-a") is True
    assert cluster.configured(str(tmp_path / "config"), None) is True
    monkeypatch.setenv("KUBERNETES_SERVICE_HOST", "10.0.0.1")
    assert cluster.configured(None, None) is True
