"""A port-forward the API server refuses: one sentence naming the pod and the status, no handshake dump."""

from __future__ import annotations

from typing import Any

import pytest

from tests.proxyconfig.test_pod_target import POD


@pytest.mark.parametrize("status", [500, 503])
def test_failed_port_forward_is_one_sentence(run_cli, fake_api: Any, status: int) -> None:
    fake_api.load_yaml(POD)
    fake_api.faults.fail_next(count=20, status=status, path_contains="/portforward")
    res = run_cli("pc", "clusters", "backend-7f9c-abcde.shop", "--kubeconfig", fake_api.kubeconfig,
                  "--timeout", "5")
    assert res.exit_code == 1, res.stderr
    assert res.stderr.count("\n") == 1, res.stderr
    assert "cannot port-forward to pod shop/backend-7f9c-abcde port 15000" in res.stderr
    assert str(status) in res.stderr
    for header in ("-+-+-", "Content-Type", "content-type", "Audit-Id", "{'"):
        assert header not in res.stderr, res.stderr
