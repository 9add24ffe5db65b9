"""``meshctl precheck`` against the real kube-apiserver: a 403 is a limit of access (reported, exit as the
findings say), not checks that did not run; ``--strict-access`` makes it a failure."""

from __future__ import annotations

import json
from typing import Any

from tests.realkube.objects import grant, namespace


def test_precheck_with_namespaced_rbac(real_kube_istio: Any, real_kubeconfig: Any, run_cli: Any) -> None:
    kube, ns = real_kube_istio, "l13-precheck"
    namespace(kube, ns)
    grant(kube, "nsuser", ns, [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["get", "list"]}])
    config = real_kubeconfig("nsuser", ns)
    res = run_cli("precheck", "--kubeconfig", config, "-o", "json")
    found = json.loads(res.stdout)
    assert res.exit_code == 79, res.stderr
    assert any(m["code"] == "IST0141" for m in found)  # the missing permissions, as findings
    assert not any(m["code"] == "MSH0501" for m in found)  # denied is not "did not run"
    strict = run_cli("precheck", "--kubeconfig", config, "-o", "json", "--strict-access")
    assert strict.exit_code == 1
    assert any(m["code"] == "MSH0501" for m in json.loads(strict.stdout))
    assert "checks that did not run" in strict.stderr
