"""The scenarios of issue 11, through the CLI against a real kube-apiserver with Istio's CRDs applied.

The server runs no controllers: installs use ``--no-wait`` and tests write workload status through
the ``/status`` subresource (``mesh.make_ready()``) where readiness matters.
"""

from __future__ import annotations

import json
import re
import urllib.error
from typing import Any

import pytest

from tests.realkube.objects import apply, exists

CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"


def _ok(res: Any) -> Any:
    assert res.exit_code == 0, res.stdout + res.stderr
    return res


def test_existing_crds_owned_by_another_manager_are_kept(mesh: Any) -> None:
    before = {c["metadata"]["name"]: c for c in mesh.get(CRDS)["items"] if c["metadata"]["name"].endswith("istio.io")}
    res = _ok(mesh.install())
    after = {c["metadata"]["name"]: c for c in mesh.get(CRDS)["items"] if c["metadata"]["name"].endswith("istio.io")}
    assert before and set(before) == set(after)
    for name, crd in before.items():
        assert after[name]["metadata"]["resourceVersion"] == crd["metadata"]["resourceVersion"], name
    assert "kept CustomResourceDefinition virtualservices.networking.istio.io: managed by test" in res.stdout
    vs = after["destinationrules.networking.istio.io"]["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
    assert "retryBudget" in json.dumps(vs)


def test_writes_are_accepted_right_after_install(mesh: Any) -> None:
    _ok(mesh.install())
    hooks = mesh.get("/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations")["items"]
    ours = [h for h in hooks if h["metadata"]["name"] in (f"istio-validator-{mesh.namespace}",
                                                        "istiod-default-validator")]
    assert len(ours) == 2 and all(w["failurePolicy"] == "Ignore" for h in ours for w in h["webhooks"])
    vs = {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
          "metadata": {"name": "after-install", "namespace": mesh.namespace},
          "spec": {"hosts": ["a.example.com"], "http": [{"route": [{"destination": {"host": "a"}}],
                                                         "retries": {"attempts": 2,
                                                                     "retryIgnorePreviousHosts": True}}]}}
    got = apply(mesh.kube, vs)
    assert got["spec"]["http"][0]["retries"]["retryIgnorePreviousHosts"] is True


def test_injector_has_the_charts_templates_and_webhooks(mesh: Any) -> None:
    _ok(mesh.install())
    cm = mesh.get(f"/api/v1/namespaces/{mesh.namespace}/configmaps/istio-sidecar-injector")
    assert "templates:" in cm["data"]["config"] and "istio-proxy" in cm["data"]["config"]
    hook = mesh.get("/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/"
                    f"istio-sidecar-injector-{mesh.namespace}")
    names = {w["name"].split(".sidecar-injector")[0] for w in hook["webhooks"]}
    assert names == {"rev.namespace", "rev.object", "namespace", "object"}
    ns = mesh.namespace  # what the hand-written manifests lacked, now from the charts
    for path in (f"/apis/rbac.authorization.k8s.io/v1/clusterroles/istiod-gateway-controller-{ns}",
                 f"/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/istiod-gateway-controller-{ns}",
                 "/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/istiod-default-validator",
                 f"/api/v1/namespaces/{ns}/configmaps/values",
                 f"/apis/autoscaling/v2/namespaces/{ns}/horizontalpodautoscalers/istio-ingressgateway",
                 f"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles/istiod"):
        assert exists(mesh.kube, path), path
    again = _ok(mesh.install())  # idempotent: nothing to change
    assert re.search(r"objects: 0 created, 0 configured, [1-9]\d* unchanged, \d+ kept, 0 pruned", again.stdout)


@pytest.mark.parametrize("user_object", [
    {"apiVersion": "security.istio.io/v1", "kind": "PeerAuthentication", "metadata": {"name": "default"},
     "spec": {"mtls": {"mode": "STRICT"}}},
    {"apiVersion": "telemetry.istio.io/v1", "kind": "Telemetry", "metadata": {"name": "mesh-default"},
     "spec": {"accessLogging": [{"providers": [{"name": "envoy"}]}]}},
    {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "user-settings"}, "data": {"a": "b"}},
], ids=lambda o: o["kind"])
def test_uninstall_keeps_a_namespace_holding_user_objects(mesh: Any, user_object: dict[str, Any]) -> None:
    _ok(mesh.install())
    user_object["metadata"]["namespace"] = mesh.namespace
    apply(mesh.kube, user_object)
    res = _ok(mesh.uninstall())
    assert f"namespace {mesh.namespace} is kept: it holds {user_object['kind']} {mesh.namespace}/" in res.stderr
    ns = mesh.get(f"/api/v1/namespaces/{mesh.namespace}")
    assert "deletionTimestamp" not in ns["metadata"]
    group = user_object["apiVersion"]
    prefix = "/api/v1" if group == "v1" else f"/apis/{group}"
    plural = {"PeerAuthentication": "peerauthentications", "Telemetry": "telemetries",
              "ConfigMap": "configmaps"}[user_object["kind"]]
    assert exists(mesh.kube, f"{prefix}/namespaces/{mesh.namespace}/{plural}/{user_object['metadata']['name']}")
    assert not exists(mesh.kube, f"/apis/apps/v1/namespaces/{mesh.namespace}/deployments/istiod")


def test_uninstall_dry_run_lists_exactly_what_goes_and_the_empty_namespace_goes(mesh: Any) -> None:
    _ok(mesh.install())
    planned = _ok(mesh.uninstall("--dry-run", "-o", "json"))
    doomed = {(r["kind"], r["namespace"], r["name"]) for r in json.loads(planned.stdout)}
    assert ("Namespace", None, mesh.namespace) in doomed
    assert not any(k == "CustomResourceDefinition" for k, _, _ in doomed)
    done = _ok(mesh.uninstall("-o", "json"))
    assert {(r["kind"], r["namespace"], r["name"]) for r in json.loads(done.stdout)} == doomed
    ns = mesh.get(f"/api/v1/namespaces/{mesh.namespace}")  # no namespace controller here: Terminating
    assert ns["metadata"].get("deletionTimestamp")
    assert exists(mesh.kube, f"{CRDS}/peerauthentications.security.istio.io")


def _snapshot(mesh: Any, refs: list[tuple[str, str]]) -> dict[str, Any]:
    return {path: mesh.get(path) for path, _ in refs}


def _default_refs(mesh: Any) -> list[tuple[str, str]]:
    ns = mesh.namespace
    core, apps = f"/api/v1/namespaces/{ns}", f"/apis/apps/v1/namespaces/{ns}"
    rbac = "/apis/rbac.authorization.k8s.io/v1"
    hooks = "/apis/admissionregistration.k8s.io/v1"
    return [(f"{core}/services/istio-ingressgateway", "gateway"), (f"{apps}/deployments/istio-ingressgateway", ""),
            (f"{core}/serviceaccounts/istio-ingressgateway", ""),
            (f"{core}/serviceaccounts/istio-reader-service-account", ""),
            (f"{rbac}/namespaces/{ns}/roles/istio-ingressgateway", ""), (f"{apps}/deployments/istiod", ""),
            (f"{core}/configmaps/istio", ""), (f"{core}/configmaps/istio-sidecar-injector", ""),
            (f"{hooks}/validatingwebhookconfigurations/istiod-default-validator", ""),
            (f"{hooks}/mutatingwebhookconfigurations/istio-sidecar-injector-{ns}", ""),
            (f"{rbac}/clusterroles/istio-reader-clusterrole-{ns}", "")]


def test_canary_install_and_uninstall_leave_the_default_revision_byte_identical(mesh: Any) -> None:
    _ok(mesh.install())
    refs = _default_refs(mesh)
    before = _snapshot(mesh, refs)
    res = _ok(mesh.install("--revision", "canary"))
    assert f"kept Service {mesh.namespace}/istio-ingressgateway: owned by meshctl release {mesh.namespace}/istio" \
        in res.stdout
    assert _snapshot(mesh, refs) == before
    assert exists(mesh.kube, f"/apis/apps/v1/namespaces/{mesh.namespace}/deployments/istiod-canary")
    refused = mesh.uninstall("--purge", "--revision", "canary", "--dry-run")
    assert refused.exit_code == 64 and "--purge" in refused.stderr
    planned = _ok(mesh.uninstall("--revision", "canary", "--dry-run", "-o", "json"))
    names = {r["name"] for r in json.loads(planned.stdout)}
    assert "istiod-canary" in names and "istio-ingressgateway" not in names
    assert "istio-reader-service-account" not in names and "istiod-default-validator" not in names
    _ok(mesh.uninstall("--revision", "canary"))
    assert not exists(mesh.kube, f"/apis/apps/v1/namespaces/{mesh.namespace}/deployments/istiod-canary")
    assert _snapshot(mesh, refs) == before


def test_disabled_components_are_pruned_and_verify_is_clean_with_set(mesh: Any) -> None:
    _ok(mesh.install())
    apps = f"/apis/apps/v1/namespaces/{mesh.namespace}"
    hpa = f"/apis/autoscaling/v2/namespaces/{mesh.namespace}/horizontalpodautoscalers"
    assert exists(mesh.kube, f"{apps}/deployments/istio-ingressgateway") and exists(mesh.kube, f"{hpa}/istiod")
    res = _ok(mesh.install("--set", "values.pilot.autoscaleEnabled=false",
                           "--set", "components.ingressGateways[0].enabled=false"))
    assert f"pruned Deployment {mesh.namespace}/istio-ingressgateway" in res.stdout
    for path in (f"{apps}/deployments/istio-ingressgateway", f"{hpa}/istiod", f"{hpa}/istio-ingressgateway",
                 f"/api/v1/namespaces/{mesh.namespace}/services/istio-ingressgateway"):
        assert not exists(mesh.kube, path), path
    mesh.make_ready()
    _ok(mesh.cli("verify-install", "-i", mesh.namespace))


def test_verify_install_reports_drift_from_the_recorded_values(mesh: Any) -> None:
    _ok(mesh.install("--set", "meshConfig.accessLogFile=/dev/stdout"))
    mesh.make_ready()
    _ok(mesh.cli("verify-install", "-i", mesh.namespace))
    cm = mesh.get(f"/api/v1/namespaces/{mesh.namespace}/configmaps/istio")
    assert "/dev/stdout" in cm["data"]["mesh"]
    cm["data"]["mesh"] = "accessLogFile: ''\n"
    mesh.kube.request("PUT", f"/api/v1/namespaces/{mesh.namespace}/configmaps/istio", json.dumps(cm))
    res = mesh.cli("verify-install", "-i", mesh.namespace)
    assert res.exit_code == 79 and "MSH0702" in res.stdout and f"ConfigMap {mesh.namespace}/istio" in res.stdout


def test_objects_meshctl_did_not_install_are_not_taken_over(mesh: Any) -> None:
    from tests.realkube.objects import namespace

    namespace(mesh.kube, mesh.namespace)
    foreign = {"apiVersion": "v1", "kind": "ServiceAccount",
               "metadata": {"name": "istiod", "namespace": mesh.namespace, "labels": {"team": "mine"}}}
    apply(mesh.kube, foreign)
    res = _ok(mesh.install())
    assert f"kept ServiceAccount {mesh.namespace}/istiod: exists and was not installed by meshctl" in res.stdout
    _ok(mesh.uninstall())
    sa = mesh.get(f"/api/v1/namespaces/{mesh.namespace}/serviceaccounts/istiod")
    assert sa["metadata"]["labels"] == {"team": "mine"}
    ns = mesh.get(f"/api/v1/namespaces/{mesh.namespace}")  # it existed before: never deleted
    assert "deletionTimestamp" not in ns["metadata"]


def test_install_waits_until_workloads_are_ready(mesh: Any) -> None:
    import threading

    stop = threading.Event()

    def controller() -> None:  # what the Deployment controller would do, once the objects exist
        while not stop.wait(0.3):
            try:
                mesh.make_ready()
            except urllib.error.HTTPError:
                continue

    thread = threading.Thread(target=controller, daemon=True)
    thread.start()
    try:
        res = mesh.cli("install", "--charts", str(mesh_charts()), "--set",
                       f"values.global.istioNamespace={mesh.namespace}", "-y", "--skip-precheck", "--timeout", "60")
    finally:
        stop.set()
        thread.join()
    _ok(res)
    assert "control plane ready" in res.stdout


def mesh_charts() -> Any:
    from tests.conftest import SHARED_ISTIO

    return SHARED_ISTIO / "charts"


def test_dry_runs_change_nothing(mesh: Any) -> None:
    missing = mesh.install("--dry-run=server")
    assert missing.exit_code == 1 and "--dry-run=client" in missing.stderr and missing.stderr.count("\n") == 1
    assert not exists(mesh.kube, f"/api/v1/namespaces/{mesh.namespace}")
    planned = _ok(mesh.install("--dry-run", "-o", "json"))
    assert {r["action"] for r in json.loads(planned.stdout)} == {"would-apply"}
    _ok(mesh.install())
    res = _ok(mesh.install("--dry-run=server", "--set", "components.ingressGateways[0].enabled=false", "-o", "json"))
    rows = {(r["kind"], r["name"]): r["action"] for r in json.loads(res.stdout)}
    assert rows[("Deployment", "istio-ingressgateway")] == "would-prune"
    assert rows[("Deployment", "istiod")] == "unchanged"
    assert exists(mesh.kube, f"/apis/apps/v1/namespaces/{mesh.namespace}/deployments/istio-ingressgateway")
    record = mesh.get(f"/api/v1/namespaces/{mesh.namespace}/secrets/meshctl-release-istio")
    assert record["type"] == "meshctl.io/release.v1"


def test_verify_install_needs_a_record_or_a_configuration_and_reports_leftovers(mesh: Any) -> None:
    res = mesh.cli("verify-install", "-i", mesh.namespace)
    assert res.exit_code == 64 and "no meshctl install of revision default is recorded" in res.stderr
    _ok(mesh.install())
    mesh.make_ready()
    _ok(mesh.cli("verify-install", "-i", mesh.namespace))
    # a prune that never happened: the gateway is owned by the release but not in its manifest
    from meshctl.install.release import decode, encode

    path = f"/api/v1/namespaces/{mesh.namespace}/secrets/meshctl-release-istio"
    record = decode(mesh.get(path))
    record.manifest = [o for o in record.manifest if o["metadata"]["name"] != "istio-ingressgateway"]
    mesh.kube.request("PUT", path, json.dumps(encode(record)))
    res = mesh.cli("verify-install", "-i", mesh.namespace, "-o", "json")
    assert res.exit_code == 0  # a warning only
    found = {(m["code"], m["origin"]) for m in json.loads(res.stdout)}
    assert ("MSH0704", f"Deployment {mesh.namespace}/istio-ingressgateway") in found
    assert all(code == "MSH0704" for code, _ in found)


def test_install_names_the_workloads_not_ready_by_the_deadline(mesh: Any) -> None:
    res = mesh.cli("install", "--charts", str(mesh_charts()), "--set", f"values.global.istioNamespace={mesh.namespace}",
                   "--set", "components.ingressGateways[0].enabled=false", "-y", "--skip-precheck", "--timeout", "30")
    assert res.exit_code == 1 and res.stderr.count("\n") == 1, res.stderr
    assert f"not ready within 30s: Deployment {mesh.namespace}/istiod" in res.stderr
    assert exists(mesh.kube, f"/api/v1/namespaces/{mesh.namespace}/secrets/meshctl-release-istio")


def test_canary_upgrade_uninstalling_the_old_revision_hands_shared_objects_to_the_new(mesh: Any) -> None:
    _ok(mesh.install())
    _ok(mesh.install("--revision", "canary", "--set", "components.ingressGateways[0].enabled=false"))
    refused = mesh.uninstall("--purge", "--dry-run")
    assert refused.exit_code == 64 and f"{mesh.namespace}/istio-canary still uses them" in refused.stderr
    planned = _ok(mesh.uninstall("--dry-run", "-o", "json"))
    actions = {(r["kind"], r["name"]): r["action"] for r in json.loads(planned.stdout)}
    assert actions[("ServiceAccount", "istio-reader-service-account")] == "would-hand-over"
    assert actions[("Deployment", "istiod")] == "would-delete" and ("Namespace", mesh.namespace) in actions
    res = _ok(mesh.uninstall())
    assert f"namespace {mesh.namespace} is kept: release {mesh.namespace}/istio-canary" in res.stderr
    reader = mesh.get(f"/api/v1/namespaces/{mesh.namespace}/serviceaccounts/istio-reader-service-account")
    assert reader["metadata"]["annotations"]["install.meshctl.io/release"] == f"{mesh.namespace}/istio-canary"
    assert exists(mesh.kube, "/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/"
                             "istiod-default-validator")
    assert not exists(mesh.kube, f"/apis/apps/v1/namespaces/{mesh.namespace}/deployments/istiod")
    assert not exists(mesh.kube, f"/apis/apps/v1/namespaces/{mesh.namespace}/deployments/istio-ingressgateway")
    mesh.make_ready()
    verified = _ok(mesh.cli("verify-install", "-i", mesh.namespace, "--revision", "canary", "-o", "json"))
    assert json.loads(verified.stdout) == []
    again = _ok(mesh.install("--revision", "canary", "--set", "components.ingressGateways[0].enabled=false"))
    kept = [line for line in again.stdout.splitlines() if line.startswith("kept ")]
    assert kept and all(line.startswith("kept CustomResourceDefinition ") for line in kept)  # the fixture's CRDs
    assert re.search(r"objects: 0 created, 0 configured, [1-9]\d* unchanged", again.stdout)
    done = _ok(mesh.uninstall("--revision", "canary", "-o", "json"))
    gone = {(r["kind"], r["name"]) for r in json.loads(done.stdout)}
    assert ("ServiceAccount", "istio-reader-service-account") in gone and ("Namespace", mesh.namespace) in gone


def test_without_a_terminal_confirmation_needs_y_and_nothing_is_written(mesh: Any) -> None:
    res = mesh.cli("install", "--charts", str(mesh_charts()), "--set", f"values.global.istioNamespace={mesh.namespace}",
                   "--skip-precheck", "--no-wait")
    assert res.exit_code == 64 and "-y" in res.stderr
    assert not exists(mesh.kube, f"/api/v1/namespaces/{mesh.namespace}")
