"""Fault switches and request counters."""

from __future__ import annotations

import json
import time

import pytest
import urllib3
from kubernetes import client, config
from kubernetes.client.rest import ApiException

from .conftest import pod, raw

PODS = "/api/v1/namespaces/default/pods"


@pytest.fixture
def no_retry_core(fake_api):
    """A CoreV1Api whose urllib3 pool does not retry, so each fault is visible."""
    api_client = config.new_client_from_config(config_file=fake_api.kubeconfig)
    api_client.configuration.retries = False
    api_client.rest_client.pool_manager.connection_pool_kw["retries"] = False
    return client.CoreV1Api(api_client)


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_fail_next_status(fake_api, core, status):
    fake_api.faults.fail_next(1, status=status, path_contains="/pods")
    with pytest.raises(ApiException) as err:
        core.list_namespaced_pod("default")
    assert err.value.status == status
    assert json.loads(err.value.body)["kind"] == "Status"
    core.list_namespaced_pod("default")
    assert fake_api.requests[("GET", PODS)] == 2


def test_fail_next_429_with_retry_after(fake_api, no_retry_core):
    fake_api.faults.fail_next(2, status=429, retry_after=3, method="GET")
    for _ in range(2):
        with pytest.raises(ApiException) as err:
            no_retry_core.list_namespaced_pod("default")
        assert err.value.status == 429
        assert err.value.headers["Retry-After"] == "3"
        assert json.loads(err.value.body)["reason"] == "TooManyRequests"
    assert no_retry_core.list_namespaced_pod("default").items == []


def test_429_retry_after_is_honoured_by_default_client(fake_api, core):
    fake_api.faults.fail_next(1, status=429, retry_after=1)
    started = time.monotonic()
    assert core.list_namespaced_pod("default").items == []
    assert time.monotonic() - started >= 1
    assert fake_api.requests[("GET", PODS)] == 2


def test_fail_next_filters_method_and_path(fake_api, core):
    fake_api.faults.fail_next(1, status=500, method="POST", path_contains="/configmaps")
    core.list_namespaced_config_map("default")
    core.list_namespaced_pod("default")
    with pytest.raises(ApiException):
        core.create_namespaced_config_map("default", {"metadata": {"name": "x"}})
    core.create_namespaced_config_map("default", {"metadata": {"name": "x"}})


def test_fail_next_rejects_unknown_status(fake_api):
    with pytest.raises(ValueError):
        fake_api.faults.fail_next(1, status=418)


def test_slow(fake_api, core, no_retry_core):
    fake_api.faults.slow(0.5, path_contains="/pods")
    started = time.monotonic()
    core.list_namespaced_config_map("default")
    assert time.monotonic() - started < 0.4
    started = time.monotonic()
    core.list_namespaced_pod("default")
    assert time.monotonic() - started >= 0.5
    with pytest.raises(urllib3.exceptions.ReadTimeoutError):
        no_retry_core.list_namespaced_pod("default", _request_timeout=0.1)
    fake_api.faults.clear()
    started = time.monotonic()
    core.list_namespaced_pod("default")
    assert time.monotonic() - started < 0.4


def test_drop_next(fake_api, no_retry_core):
    fake_api.faults.drop_next(1, path_contains="/pods")
    with pytest.raises(urllib3.exceptions.ProtocolError):
        no_retry_core.list_namespaced_pod("default")
    assert no_retry_core.list_namespaced_pod("default").items == []
    assert fake_api.requests[("GET", PODS)] == 2


def test_drop_next_is_retried_by_default_client(fake_api, core):
    fake_api.faults.drop_next(1)
    assert core.list_namespaced_pod("default").items == []
    assert fake_api.requests[("GET", PODS)] == 2


def test_gone_on_continue(fake_api, core):
    for n in range(3):
        fake_api.add(pod(f"p{n}"))
    first = core.list_namespaced_pod("default", limit=2)
    fake_api.faults.gone_on_continue(1)
    with pytest.raises(ApiException) as err:
        core.list_namespaced_pod("default", limit=2, _continue=first.metadata._continue)
    body = json.loads(err.value.body)
    assert err.value.status == 410 and body["reason"] == "Expired"
    again = core.list_namespaced_pod("default", limit=2, _continue=first.metadata._continue)
    assert [p.metadata.name for p in again.items] == ["p2"]


def test_counters_and_log(fake_api, core):
    core.list_namespaced_pod("default", label_selector="app=x", limit=5)
    core.list_namespaced_pod("default")
    assert fake_api.requests[("GET", PODS)] == 2
    method, path, query = fake_api.request_log[-2]
    assert (method, path) == ("GET", PODS)
    assert query == {"labelSelector": "app=x", "limit": "5"}
    fake_api.reset_counters()
    assert fake_api.requests == {} and fake_api.request_log == []


def test_auth_failure_is_counted_and_faults_precede_auth(fake_api):
    fake_api.faults.fail_next(1, status=503)
    assert raw(fake_api, "GET", PODS, token="bad")[0] == 503
    assert raw(fake_api, "GET", PODS, token="bad")[0] == 401
    assert fake_api.requests[("GET", PODS)] == 2
