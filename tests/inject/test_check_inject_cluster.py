"""check-inject against a real kube-apiserver holding the istiod chart's webhook configuration.

The chart's MutatingWebhookConfiguration (default revision) is applied under a name of this
test's own, with ``failurePolicy: Ignore`` and a one-second timeout so that pods other
tests create are never held up by a webhook with no istiod behind it; it is deleted after.
"""

from __future__ import annotations

import contextlib
import json
import urllib.error
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import SHARED_ISTIO
from tests.realkube.objects import apply, delete_namespace, namespace

CHARTS = SHARED_ISTIO / "charts"


@pytest.fixture(scope="module")
def chart_webhook(real_kube: Any) -> Iterator[str]:
    if not (CHARTS / "istio-control").is_dir():
        pytest.skip(f"{CHARTS} is absent")
    from meshctl.install.manifest import render_objects

    mwc = next(o for o in render_objects(charts_dir=CHARTS) if o["kind"] == "MutatingWebhookConfiguration")
    body = json.loads(json.dumps(mwc))
    name = f"inj-check-{uuid.uuid4().hex[:8]}"
    body["metadata"] = {"name": name, "labels": mwc["metadata"].get("labels") or {}}
    for hook in body["webhooks"]:
        hook["failurePolicy"] = "Ignore"
        hook["timeoutSeconds"] = 1
    apply(real_kube, body)
    yield name
    with contextlib.suppress(urllib.error.HTTPError):
        real_kube.request("DELETE", f"/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/{name}")


def _row(run_cli: Any, kubeconfig: str, webhook: str, *args: str) -> dict[str, Any]:
    res = run_cli("check-inject", "--kubeconfig", kubeconfig, *args, "-o", "json")
    assert res.exit_code == 0, res.stderr
    return next(r for r in json.loads(res.stdout) if r["webhook"] == webhook)


def test_namespace_labels_from_the_cluster(run_cli: Any, real_kube: Any, real_kubeconfig: Any,
                                          chart_webhook: str) -> None:
    plain, enabled = f"inj-plain-{uuid.uuid4().hex[:6]}", f"inj-on-{uuid.uuid4().hex[:6]}"
    namespace(real_kube, plain)
    namespace(real_kube, enabled, {"istio-injection": "enabled"})
    try:
        row = _row(run_cli, real_kubeconfig(), chart_webhook, "-n", plain)
        assert row["injected"] is False and row["reason"].startswith("No matching namespace labels")
        row = _row(run_cli, real_kubeconfig(), chart_webhook, "-n", enabled)
        assert (row["injected"], row["reason"]) == (True, "Namespace label istio-injection=enabled matches")
    finally:
        delete_namespace(real_kube, plain)
        delete_namespace(real_kube, enabled)


def test_a_pod_revision_label_in_an_unlabelled_namespace(run_cli: Any, real_kube: Any, real_kubeconfig: Any,
                                                         chart_webhook: str) -> None:
    ns = f"inj-pod-{uuid.uuid4().hex[:6]}"
    namespace(real_kube, ns)
    try:
        apply(real_kube, {"apiVersion": "v1", "kind": "Pod",
                          "metadata": {"name": "web", "namespace": ns, "labels": {"istio.io/rev": "default"}},
                          "spec": {"containers": [{"name": "web", "image": "nginx"}]}})
        row = _row(run_cli, real_kubeconfig(), chart_webhook, "-n", ns, "web")
        assert (row["injected"], row["reason"]) == (True, "Pod label istio.io/rev=default matches")
        missing = run_cli("check-inject", "--kubeconfig", real_kubeconfig(), "-n", ns, "nope")
        assert missing.exit_code == 1 and "nope not found" in missing.stderr
    finally:
        delete_namespace(real_kube, ns)
