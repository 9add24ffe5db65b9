"""Pure pieces: drift comparison, quantities, readiness, the uninstall plan."""

from __future__ import annotations

from meshctl.install.config import build_config
from meshctl.install.manifest import build
from meshctl.install.readiness import not_ready_reason
from meshctl.install.uninstall import Found, plan
from meshctl.install.verify import compare, drift, quantity


def test_quantities() -> None:
    assert quantity("2048Mi") == quantity("2Gi")
    assert quantity("500m") == quantity("0.5")
    assert quantity("abc") is None


def test_drift_ignores_server_defaults_and_matches_named_lists() -> None:
    expected = {"spec": {"containers": [{"name": "a", "image": "x", "resources": {"requests": {"memory": "2048Mi"}}}]}}
    live = {"spec": {"dnsPolicy": "ClusterFirst",
                     "containers": [{"name": "a", "image": "x", "terminationMessagePath": "/dev/termination-log",
                                     "resources": {"requests": {"memory": "2Gi"}}}]}}
    assert list(drift(expected, live)) == []
    live["spec"]["containers"][0]["image"] = "y"
    assert list(drift(expected, live)) == [("spec.containers[name=a].image", "x", "y")]
    assert list(drift({"a": [1, 2]}, {"a": [1]})) == [("a", [1, 2], [1])]


def test_readiness() -> None:
    dep = {"kind": "Deployment", "metadata": {"generation": 2}, "spec": {"replicas": 2},
           "status": {"observedGeneration": 2, "updatedReplicas": 2, "availableReplicas": 1}}
    assert not_ready_reason(dep) == "1 of 2 replicas available"
    dep["status"]["availableReplicas"] = 2
    assert not_ready_reason(dep) is None
    dep["status"]["observedGeneration"] = 1
    assert "not seen" in (not_ready_reason(dep) or "")
    ds = {"kind": "DaemonSet", "status": {"desiredNumberScheduled": 3, "numberReady": 3, "updatedNumberScheduled": 3}}
    assert not_ready_reason(ds) is None
    assert not_ready_reason(None) == "it does not exist"


def test_compare_reports_missing_and_unexpected() -> None:
    objects = build(build_config("minimal"))
    stray = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "old", "namespace": "istio-system"}}
    messages = compare(objects, {}, [stray])
    codes = {m.code for m in messages}
    assert codes == {"MSH0701", "MSH0704"}
    assert sum(m.code == "MSH0701" for m in messages) == len(objects)


def _ns(labels: dict[str, str]) -> dict:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "istio-system", "labels": labels}}


def test_uninstall_plan_reverse_order_and_namespace_rules() -> None:
    objects = build(build_config("minimal"))
    crds = [o for o in objects if o["kind"] == "CustomResourceDefinition"]
    owned = [o for o in objects if o["kind"] not in ("CustomResourceDefinition", "Namespace")]
    ours = _ns({"app.kubernetes.io/managed-by": "meshctl"})
    doomed = plan(Found(owned, crds, ours, occupants=owned), purge=False)
    kinds = [o["kind"] for o in doomed]
    assert "CustomResourceDefinition" not in kinds
    assert kinds[-1] == "Namespace" and kinds.index("Deployment") < kinds.index("ConfigMap") < kinds.index("Role")
    assert "CustomResourceDefinition" in [o["kind"] for o in plan(Found(owned, crds, ours), purge=True)]
    user_cm = {"kind": "ConfigMap", "metadata": {"name": "user", "namespace": "istio-system"}}
    auto_cm = {"kind": "ConfigMap", "metadata": {"name": "kube-root-ca.crt", "namespace": "istio-system"}}
    assert plan(Found(owned, crds, ours, [auto_cm]), purge=False)[-1]["kind"] == "Namespace"
    assert "Namespace" not in [o["kind"] for o in plan(Found(owned, crds, ours, [user_cm]), purge=False)]
    assert "Namespace" not in [o["kind"] for o in plan(Found(owned, crds, _ns({})), purge=True)]
