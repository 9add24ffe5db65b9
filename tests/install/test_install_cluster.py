"""install / verify-install / uninstall against the fake API server."""

from __future__ import annotations

from typing import Any

import pytest

from meshctl import ISTIO_VERSION
from meshctl.install.config import build_config
from meshctl.install.manifest import build

SYSTEM = "istio-system"


def _kc(fake_api: Any) -> list[str]:
    return ["--kubeconfig", fake_api.kubeconfig]


def _install(run_cli: Any, fake_api: Any, *extra: str) -> Any:
    return run_cli("install", "-y", "--skip-precheck", "--no-wait", *_kc(fake_api), *extra)


def _istiod(fake_api: Any, name: str = "istiod") -> dict | None:
    return fake_api.get_object("apps", "v1", "deployments", name, SYSTEM)


def _writes(fake_api: Any) -> int:
    return sum(n for (method, _), n in fake_api.requests.items() if method in ("PATCH", "POST", "PUT", "DELETE"))


def _mark_ready(fake_api: Any) -> None:
    """Play the controllers: every meshctl Deployment/DaemonSet reports ready."""
    for plural in ("deployments", "daemonsets"):
        for obj in fake_api.objects(plural):
            if obj["metadata"].get("labels", {}).get("app.kubernetes.io/managed-by") != "meshctl":
                continue
            gen = obj["metadata"].get("generation", 1)
            status = ({"observedGeneration": gen, "replicas": 1, "updatedReplicas": 1, "availableReplicas": 1,
                       "readyReplicas": 1} if plural == "deployments" else
                      {"observedGeneration": gen, "desiredNumberScheduled": 1, "numberReady": 1,
                       "updatedNumberScheduled": 1})
            rt = fake_api.registry.get("apps", "v1", plural)
            fake_api.store.modify(rt, obj["metadata"]["namespace"], obj["metadata"]["name"],
                                  lambda cur, s=status: {**cur, "status": s})


def test_install_creates_everything_then_changes_nothing(run_cli: Any, fake_api: Any) -> None:
    first = _install(run_cli, fake_api)
    assert first.exit_code == 0, first.stderr
    expected = build(build_config())
    assert f"{len(expected)} objects: {len(expected)} created" in first.stdout
    crd = fake_api.get_object("apiextensions.k8s.io", "v1", "customresourcedefinitions",
                              "virtualservices.networking.istio.io")
    assert crd is not None and crd["metadata"]["labels"]["app.kubernetes.io/managed-by"] == "meshctl"
    istiod = _istiod(fake_api)
    assert istiod is not None
    assert istiod["spec"]["template"]["spec"]["containers"][0]["image"] == f"docker.io/istio/pilot:{ISTIO_VERSION}"
    assert fake_api.get_object("", "v1", "configmaps", "istio", SYSTEM) is not None
    assert fake_api.get_object("admissionregistration.k8s.io", "v1", "mutatingwebhookconfigurations",
                               "istio-sidecar-injector") is not None
    spec = istiod["spec"]

    again = _install(run_cli, fake_api)
    assert again.exit_code == 0, again.stderr
    assert f"0 created, 0 configured, {len(expected)} unchanged" in again.stdout
    assert _istiod(fake_api)["spec"] == spec


def test_dry_run_changes_nothing(run_cli: Any, fake_api: Any) -> None:
    fake_api.reset_counters()
    result = run_cli("install", "--dry-run", "-y", *_kc(fake_api))
    assert result.exit_code == 0, result.stderr
    assert "would apply [workloads] Deployment istio-system/istiod" in result.stdout
    assert _writes(fake_api) == 0 and _istiod(fake_api) is None


def test_interrupted_install_then_resume(run_cli: Any, fake_api: Any) -> None:
    fake_api.faults.fail_next(count=1000, status=503, path_contains="/configmaps/")
    broken = _install(run_cli, fake_api, "--timeout", "3")
    assert broken.exit_code == 1
    assert "install stopped at ConfigMap istio-system/istio" in broken.stderr
    assert "not applied" in broken.stderr and "Traceback" not in broken.stderr
    assert fake_api.get_object("apiextensions.k8s.io", "v1", "customresourcedefinitions",
                               "gateways.networking.istio.io") is not None
    assert _istiod(fake_api) is None
    fake_api.faults.clear()

    resumed = _install(run_cli, fake_api)
    assert resumed.exit_code == 0, resumed.stderr
    assert "created Deployment istio-system/istiod" in resumed.stdout
    assert "unchanged CustomResourceDefinition" in resumed.stdout


def test_wait_times_out_then_succeeds_when_ready(run_cli: Any, fake_api: Any) -> None:
    args = ("install", "-y", "--skip-precheck", "-p", "minimal", *_kc(fake_api))
    slow = run_cli(*args, "--timeout", "2")
    assert slow.exit_code == 1 and "Deployment istio-system/istiod" in slow.stderr
    # The --timeout the user set, not what was left of it when the wait began (e.g. "1.20742s").
    assert "not ready within 2s:" in slow.stderr
    _mark_ready(fake_api)
    ready = run_cli(*args, "--timeout", "10")
    assert ready.exit_code == 0, ready.stderr
    assert "control plane ready" in ready.stdout


def test_no_tty_without_yes_is_usage_error(run_cli: Any, fake_api: Any) -> None:
    result = run_cli("install", "--skip-precheck", *_kc(fake_api), stdin="")
    assert result.exit_code == 64 and "-y" in result.stderr
    assert _istiod(fake_api) is None


def test_overlay_error_exit_65_before_touching_cluster(run_cli: Any, fake_api: Any, tmp_path: Any) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n  components:\n"
                   "    pilot:\n      replicas: 2\n")
    fake_api.reset_counters()
    result = _install(run_cli, fake_api, "-f", str(bad))
    assert result.exit_code == 65
    assert "spec.components.pilot: unknown field 'replicas'" in result.stderr
    assert sum(fake_api.requests.values()) == 0


def test_verify_install(run_cli: Any, fake_api: Any) -> None:
    missing = run_cli("verify-install", "-p", "minimal", *_kc(fake_api))
    assert missing.exit_code == 79 and "MSH0701" in missing.stdout

    assert _install(run_cli, fake_api, "-p", "minimal").exit_code == 0
    unready = run_cli("verify-install", "-p", "minimal", *_kc(fake_api))
    assert unready.exit_code == 79
    assert "MSH0703" in unready.stdout and "MSH0701" not in unready.stdout and "MSH0702" not in unready.stdout

    _mark_ready(fake_api)
    clean = run_cli("verify-install", "-p", "minimal", *_kc(fake_api))
    assert clean.exit_code == 0, clean.stdout

    rt = fake_api.registry.get("", "v1", "configmaps")
    fake_api.store.modify(rt, SYSTEM, "istio", lambda cur: {**cur, "data": {**cur["data"], "mesh": "x: 1\n"}})
    drifted = run_cli("verify-install", "-p", "minimal", "-o", "json", *_kc(fake_api))
    assert drifted.exit_code == 79 and "MSH0702" in drifted.stdout and "data.mesh" in drifted.stdout


@pytest.mark.parametrize("purge", [False, True])
def test_uninstall_leaves_user_objects_alone(run_cli: Any, fake_api: Any, purge: bool) -> None:
    fake_api.add({"apiVersion": "v1", "kind": "Namespace",
                  "metadata": {"name": "shop", "labels": {"istio-injection": "enabled", "team": "a"}}})
    fake_api.add({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "mine", "namespace": "shop"}})
    assert _install(run_cli, fake_api, "-p", "demo").exit_code == 0
    fake_api.add({"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
                  "metadata": {"name": "vs", "namespace": "shop"}, "spec": {"hosts": ["a"]}})

    plan = run_cli("uninstall", "--dry-run", *_kc(fake_api))
    assert plan.exit_code == 0 and "would delete Deployment istio-system/istiod" in plan.stdout
    assert _istiod(fake_api) is not None

    args = ["uninstall", "-y", *_kc(fake_api)] + (["--purge"] if purge else [])
    result = run_cli(*args)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines.index("deleted Deployment istio-system/istiod") < lines.index(
        "deleted MutatingWebhookConfiguration istio-sidecar-injector")
    assert _istiod(fake_api) is None
    assert fake_api.get_object("", "v1", "namespaces", SYSTEM) is None
    shop = fake_api.get_object("", "v1", "namespaces", "shop")
    assert shop is not None and shop["metadata"]["labels"]["istio-injection"] == "enabled"
    assert fake_api.get_object("", "v1", "configmaps", "mine", "shop") is not None
    crd = fake_api.get_object("apiextensions.k8s.io", "v1", "customresourcedefinitions",
                              "virtualservices.networking.istio.io")
    assert (crd is None) == purge
    vs = fake_api.get_object("networking.istio.io", "v1", "virtualservices", "vs", "shop")
    assert (vs is None) == purge


def test_uninstall_keeps_namespace_with_other_objects_and_other_revisions(run_cli: Any, fake_api: Any) -> None:
    assert _install(run_cli, fake_api, "-p", "minimal").exit_code == 0
    assert _install(run_cli, fake_api, "-p", "minimal", "--revision", "canary").exit_code == 0
    fake_api.add({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "cacerts", "namespace": SYSTEM}})

    result = run_cli("uninstall", "-y", "--revision", "canary", *_kc(fake_api))
    assert result.exit_code == 0, result.stderr
    assert _istiod(fake_api, "istiod-canary") is None and _istiod(fake_api) is not None
    assert fake_api.get_object("", "v1", "namespaces", SYSTEM) is not None

    assert run_cli("uninstall", "-y", *_kc(fake_api)).exit_code == 0
    assert _istiod(fake_api) is None
    assert fake_api.get_object("", "v1", "namespaces", SYSTEM) is not None  # cacerts is the user's
    assert fake_api.get_object("", "v1", "secrets", "cacerts", SYSTEM) is not None
    again = run_cli("uninstall", "-y", *_kc(fake_api))
    assert again.exit_code == 0 and "nothing installed by meshctl" in again.stdout


def test_precheck_runs_first(run_cli: Any, fake_api: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from meshctl.analysis.result import Result
    from meshctl.precheck import runner

    seen: list[Any] = []

    def fake_precheck(cluster: Any, request: Any) -> Result:
        seen.append(request)
        return Result([])

    monkeypatch.setattr(runner, "run_prechecks", fake_precheck)
    result = run_cli("install", "-y", "--no-wait", "-p", "minimal", "--revision", "c1", *_kc(fake_api))
    assert result.exit_code == 0, result.stderr
    assert seen and seen[0].profile == "minimal" and seen[0].revision == "c1"


def test_precheck_against_the_fake_cluster(run_cli: Any, fake_api: Any) -> None:
    result = run_cli("install", "-y", "--no-wait", "-p", "minimal", *_kc(fake_api))
    assert result.exit_code in (0, 79), result.stderr
    if result.exit_code == 79:
        assert "precheck found problems" in result.stderr and _istiod(fake_api) is None
    else:
        assert _istiod(fake_api) is not None
