"""The request loop with a scripted transport: retries, Retry-After, deadline, no retry on POST."""

from __future__ import annotations

import json

import pytest

import meshctl.cluster.client as client_mod
from meshctl.cluster import requests as rq
from meshctl.cluster.client import ClusterClient
from meshctl.cluster.kubeconfig import ResolvedConfig
from meshctl.cluster.retry import RetryPolicy
from meshctl.cluster.transport import ConnectionFailed, RawResponse
from meshctl.errors import ClusterError

RESOLVED = ResolvedConfig("ctx", "default", "https://api.example:6443")
OK = RawResponse(200, {}, json.dumps({"kind": "PodList", "apiVersion": "v1", "metadata": {},
                                      "items": [{"metadata": {"name": "p"}}]}).encode())


def _client(script: list[object], monkeypatch: pytest.MonkeyPatch, timeout: float = 30.0
            ) -> tuple[ClusterClient, list[float], list[rq.ApiRequest]]:
    sleeps: list[float] = []
    sent: list[rq.ApiRequest] = []

    def fake_send(api: object, req: rq.ApiRequest, timeout: float) -> RawResponse:
        sent.append(req)
        step = script.pop(0)
        if isinstance(step, Exception):
            raise step
        assert isinstance(step, RawResponse)
        return step

    monkeypatch.setattr(client_mod, "send", fake_send)
    client = ClusterClient(RESOLVED, None, timeout, RetryPolicy(rand=lambda: 0.5), sleeps.append)
    return client, sleeps, sent


def test_retries_429_honouring_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    client, sleeps, sent = _client([RawResponse(429, {"retry-after": "1"}), RawResponse(503), OK],
                                   monkeypatch)
    items = client.list("Pod")
    assert items == [{"metadata": {"name": "p"}, "kind": "Pod", "apiVersion": "v1"}]
    assert sleeps == pytest.approx([1.0, 0.3]) and len(sent) == 3


def test_dropped_connection_is_retried_for_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    client, sleeps, _ = _client([ConnectionFailed("dropped", "x"), OK], monkeypatch)
    assert len(client.list("Pod")) == 1 and len(sleeps) == 1


def test_no_retry_for_create(monkeypatch: pytest.MonkeyPatch) -> None:
    client, sleeps, sent = _client([ConnectionFailed("dropped", "x"), OK], monkeypatch)
    with pytest.raises(ClusterError, match="dropped during POST /api/v1/namespaces/default/configmaps"):
        client.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}})
    assert sleeps == [] and len(sent) == 1
    client, sleeps, sent = _client([RawResponse(503), OK], monkeypatch)
    with pytest.raises(ClusterError, match="503 Service Unavailable"):
        client.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}})
    assert len(sent) == 1


def test_gives_up_after_attempts(monkeypatch: pytest.MonkeyPatch) -> None:
    client, sleeps, sent = _client([RawResponse(500)] * 5, monkeypatch)
    with pytest.raises(ClusterError, match="cannot list pods at the cluster scope \\(500"):
        client.list("Pod")
    assert len(sent) == 5 and len(sleeps) == 4


def test_retry_after_beyond_deadline_is_a_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    client, _, _ = _client([RawResponse(429, {"retry-after": "4"})], monkeypatch, timeout=2.0)
    with pytest.raises(ClusterError, match="timed out after 2s"):
        client.list("Pod")


def test_refused_is_one_line_and_not_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    client, _, sent = _client([ConnectionFailed("refused", "connection refused")], monkeypatch)
    with pytest.raises(ClusterError) as err:
        client.list("Pod")
    assert str(err.value) == ("cannot reach the Kubernetes API server at https://api.example:6443: "
                              "connection refused")
    assert len(sent) == 1


def test_gone_on_continue_restarts_once(monkeypatch: pytest.MonkeyPatch) -> None:
    page1 = RawResponse(200, {}, b'{"metadata":{"continue":"t1"},"items":[{"metadata":{"name":"a"}}]}')
    page2 = RawResponse(200, {}, b'{"metadata":{},"items":[{"metadata":{"name":"b"}}]}')
    client, _, sent = _client([page1, RawResponse(410), page1, page2], monkeypatch)
    assert [i["metadata"]["name"] for i in client.list("Pod")] == ["a", "b"]
    assert [dict(r.query).get("continue") for r in sent] == [None, "t1", None, "t1"]
    client, _, _ = _client([page1, RawResponse(410), page1, RawResponse(410)], monkeypatch)
    with pytest.raises(ClusterError, match="410 Gone"):
        client.list("Pod")
