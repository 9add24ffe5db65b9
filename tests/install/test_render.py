"""``manifest generate`` is Helm's rendering of Istio's charts (../shared/istio/charts) for the same values.

The expected side renders each chart with helm-python-sdk directly, from this file's own table of
which charts a profile installs and with which values (Istio's IstioOperator profiles and Helm
install instructions), so a translation mistake in meshctl shows up as a difference.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

helm = pytest.importorskip("helm_python")

NS = "istio-system"
DIRS = {"base": "base", "istiod": "istio-control/istio-discovery", "gateway": "gateway", "cni": "istio-cni",
        "ztunnel": "ztunnel"}
INGRESS = ("gateway", "istio-ingressgateway", {"name": "istio-ingressgateway"})
EGRESS = ("gateway", "istio-egressgateway", {"name": "istio-egressgateway", "service": {"type": "ClusterIP"}})


def _with(values: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    return {**values, **extra}


def expected_releases(profile: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(chart, release, values) per profile, written out independently of meshctl."""
    chart_profile = {"demo": "demo", "ambient": "ambient", "remote": "remote", "preview": "preview",
                     "stable": "stable"}.get(profile)
    common = {"profile": chart_profile} if chart_profile else {}
    control = [("base", "istio-base", {}), ("istiod", "istiod", {})]
    table = {
        "default": [*control, INGRESS], "preview": [*control, INGRESS], "stable": [*control, INGRESS],
        "demo": [*control, INGRESS, EGRESS], "minimal": control, "remote": control, "empty": [],
        "ambient": [*control, ("cni", "istio-cni", {}), ("ztunnel", "ztunnel", {})],
    }
    return [(chart, name, _with(values, common)) for chart, name, values in table[profile]]


_RENDERED: dict[tuple[str, str, str, str], dict[str, str]] = {}


def _render_one(charts: Path, chart: str, name: str, values: dict[str, Any]) -> dict[str, str]:
    key = (str(charts), chart, name, json.dumps(values, sort_keys=True))
    if key not in _RENDERED:
        with helm.Chart.load(charts / DIRS[chart]) as loaded:
            _RENDERED[key] = loaded.render(values=values, name=name, namespace=NS, is_install=True)
    return _RENDERED[key]


def helm_render(charts: Path, releases: list[tuple[str, str, dict[str, Any]]]) -> dict[tuple[str, str, str], str]:
    out: dict[tuple[str, str, str], str] = {}
    for chart, name, values in releases:
        for path, text in _render_one(charts, chart, name, values).items():
            if path.endswith("NOTES.txt"):
                continue
            for doc in yaml.safe_load_all(text):
                if isinstance(doc, dict) and doc.get("kind"):
                    out.setdefault(_key(doc), _norm(doc))
    return out


def _key(doc: dict[str, Any]) -> tuple[str, str, str]:
    meta = doc["metadata"]
    return doc["kind"], meta.get("namespace") or "", meta["name"]


def _norm(doc: dict[str, Any]) -> str:
    return json.dumps(doc, sort_keys=True)


def generated(run_cli: Any, charts: Path, *args: str) -> dict[tuple[str, str, str], str]:
    res = run_cli("manifest", "generate", "--charts", str(charts), "-o", "json", *args)
    assert res.exit_code == 0, res.stderr
    items = json.loads(res.stdout)["items"]
    keys = [_key(d) for d in items]
    assert len(keys) == len(set(keys))
    return {_key(d): _norm(d) for d in items}


@pytest.mark.parametrize("profile", ["default", "demo", "minimal", "ambient", "remote", "empty", "preview", "stable"])
def test_every_profile_is_helms_rendering(run_cli: Any, charts: Path, profile: str) -> None:
    got = generated(run_cli, charts, "--profile", profile)
    want = helm_render(charts, expected_releases(profile))
    assert set(got) == set(want)
    for key in want:
        assert got[key] == want[key], key
    if profile != "empty":
        assert ("MutatingWebhookConfiguration", "", "istio-sidecar-injector") in got


SETS = [
    (("--set", "values.pilot.autoscaleEnabled=false"),
     lambda rels: [(c, n, {**v, "pilot": {"autoscaleEnabled": False}}) if c in ("base", "istiod") else (c, n, v)
                   for c, n, v in rels]),
    (("--set", "pilot.autoscaleEnabled=false"),  # a plain Helm value means the same
     lambda rels: [(c, n, {**v, "pilot": {"autoscaleEnabled": False}}) if c in ("base", "istiod") else (c, n, v)
                   for c, n, v in rels]),
    (("--set", "components.ingressGateways[0].enabled=false"), lambda rels: [r for r in rels if r[0] != "gateway"]),
    (("--set", "meshConfig.accessLogFile=/dev/stdout"),
     lambda rels: [(c, n, {**v, "meshConfig": {"accessLogFile": "/dev/stdout"}}) if c == "istiod" else (c, n, v)
                   for c, n, v in rels]),
    (("--revision", "canary"),
     lambda rels: [(c, "istiod-canary" if c == "istiod" else n, {**v, "revision": "canary"}) for c, n, v in rels]),
    (("--set", "hub=example.com/istio", "--set", "tag=1.2.3"),
     lambda rels: [(c, n, {**v, "global": {"hub": "example.com/istio", "tag": "1.2.3"}}) for c, n, v in rels]),
]


@pytest.mark.parametrize(("args", "change"), SETS, ids=lambda a: " ".join(a) if isinstance(a, tuple) else "")
def test_set_values_are_helms_rendering(run_cli: Any, charts: Path, args: tuple[str, ...], change: Any) -> None:
    got = generated(run_cli, charts, *args)
    want = helm_render(charts, change(expected_releases("default")))
    assert set(got) == set(want)
    assert all(got[k] == want[k] for k in want)


def test_disabled_autoscaling_and_gateway_render_no_hpa_and_no_gateway(run_cli: Any, charts: Path) -> None:
    got = generated(run_cli, charts, "--set", "values.pilot.autoscaleEnabled=false",
                    "--set", "components.ingressGateways[0].enabled=false")
    kinds = {(k, n) for k, _, n in got}
    assert ("HorizontalPodAutoscaler", "istiod") not in kinds and ("Deployment", "istio-ingressgateway") not in kinds
    assert ("Deployment", "istiod") in kinds


def test_istio_operator_file_and_helm_values_file_translate_like_set(run_cli: Any, charts: Path,
                                                                     tmp_path: Path) -> None:
    iop = tmp_path / "iop.yaml"
    iop.write_text("apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n  profile: demo\n"
                   "  meshConfig: {accessLogFile: /dev/stdout}\n  values: {pilot: {autoscaleEnabled: false}}\n"
                   "  components:\n    egressGateways: [{name: istio-egressgateway, enabled: false}]\n")
    values = tmp_path / "values.yaml"
    values.write_text("pilot:\n  autoscaleEnabled: false\n")
    by_file = generated(run_cli, charts, "-f", str(iop))
    by_set = generated(run_cli, charts, "-p", "demo", "--set", "meshConfig.accessLogFile=/dev/stdout",
                       "--set", "values.pilot.autoscaleEnabled=false",
                       "--set", "components.egressGateways[0].enabled=false")
    assert by_file == by_set
    assert generated(run_cli, charts, "-f", str(values)) == generated(run_cli, charts, "--set",
                                                                      "values.pilot.autoscaleEnabled=false")


def test_injector_configmap_carries_the_charts_templates(charts: Path) -> None:
    from meshctl.install.manifest import render_objects

    objects = render_objects("default", charts_dir=charts)
    injector = next(o for o in objects
                    if o["kind"] == "ConfigMap" and o["metadata"]["name"] == "istio-sidecar-injector")
    config = yaml.safe_load(injector["data"]["config"])
    assert {"sidecar", "gateway"} <= set(config["templates"]) and config["defaultTemplates"] == ["sidecar"]
    hook = next(o for o in objects if o["kind"] == "MutatingWebhookConfiguration")
    assert {w["name"] for w in hook["webhooks"]} == {
        "rev.namespace.sidecar-injector.istio.io", "rev.object.sidecar-injector.istio.io",
        "namespace.sidecar-injector.istio.io", "object.sidecar-injector.istio.io"}


@pytest.mark.parametrize(("args", "code", "text"), [
    (("--profile", "nope"), 64, "unknown profile 'nope'"),
    (("--set", "components.ingressGateways[3].enabled=false"), 64, "out of range"),
    (("--set", "values.profile=nope"), 65, "unknown profile"),
])
def test_bad_configuration_is_one_sentence(run_cli: Any, charts: Path, args: tuple[str, ...], code: int,
                                           text: str) -> None:
    res = run_cli("manifest", "generate", "--charts", str(charts), *args)
    assert res.exit_code == code and text in res.stderr
    assert res.stderr.count("\n") == 1 and "Traceback" not in res.stderr


def test_unknown_istio_operator_field_is_bad_input(run_cli: Any, charts: Path, tmp_path: Path) -> None:
    iop = tmp_path / "iop.yaml"
    iop.write_text("apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n  nonsense: 1\n")
    res = run_cli("manifest", "generate", "--charts", str(charts), "-f", str(iop))
    assert res.exit_code == 65 and "unknown field 'nonsense'" in res.stderr


def test_an_unknown_profile_in_a_file_is_bad_input(run_cli: Any, charts: Path, tmp_path: Path) -> None:
    # fuzz seed 77, case 312: the file is the bad input (65); --profile nope stays a usage error (64)
    iop = tmp_path / "iop.yaml"
    iop.write_text("kind: IstioOperator\nspec:\n  profile: m\n")
    res = run_cli("manifest", "generate", "--charts", str(charts), "-f", str(iop))
    assert res.exit_code == 65 and f"{iop}: unknown profile 'm'" in res.stderr
    assert res.stderr.count("\n") == 1


def test_without_an_engine_one_sentence_says_how_to_get_one(run_cli: Any, charts: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from meshctl.install import engine

    monkeypatch.setattr(engine, "_sdk", lambda: None)
    monkeypatch.setenv("PATH", "/nonexistent")
    engine._render_cached.cache_clear()
    res = run_cli("manifest", "generate", "--charts", str(charts))
    assert res.exit_code == 1 and "pip install 'meshctl[helm]'" in res.stderr and "helm binary" in res.stderr
    assert res.stderr.count("\n") == 1


def test_charts_dir_of_archives_renders_the_same(run_cli: Any, charts: Path, tmp_path: Path) -> None:
    for chart in DIRS.values():
        helm.package(charts / chart, destination=tmp_path)
    assert generated(run_cli, tmp_path) == generated(run_cli, charts)


FAKE_HELM = '''#!{python}
"""Stands in for the helm binary: ``helm template NAME CHART --namespace NS --values FILE``."""
import json, sys
import helm_python
args = sys.argv[1:]
assert args[0] == "template", args
name, chart = args[1], args[2]
ns = args[args.index("--namespace") + 1]
values = json.load(open(args[args.index("--values") + 1]))
with helm_python.Chart.load(chart) as loaded:
    out = loaded.render(values=values, name=name, namespace=ns, is_install=True)
for path, text in sorted(out.items()):
    if not path.endswith("NOTES.txt"):
        sys.stdout.write("---\\n# Source: " + path + "\\n" + text + "\\n")
'''


def test_the_helm_binary_is_used_without_the_sdk(run_cli: Any, charts: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from meshctl.install import engine

    with_sdk = generated(run_cli, charts, "-p", "demo")
    binary = tmp_path / "bin" / "helm"
    binary.parent.mkdir()
    binary.write_text(FAKE_HELM.replace("{python}", sys.executable))
    binary.chmod(0o755)
    monkeypatch.setattr(engine, "_sdk", lambda: None)
    monkeypatch.setenv("PATH", str(binary.parent))
    engine._render_cached.cache_clear()
    assert generated(run_cli, charts, "-p", "demo") == with_sdk
    binary.write_text("#!/bin/sh\necho 'Error: chart broken' >&2\nexit 1\n")
    engine._render_cached.cache_clear()
    res = run_cli("manifest", "generate", "--charts", str(charts))
    assert res.exit_code == 65 and "Error: chart broken" in res.stderr and res.stderr.count("\n") == 1


def test_untranslated_istio_operator_fields_are_named(run_cli: Any, charts: Path) -> None:
    res = run_cli("manifest", "generate", "--charts", str(charts), "--set", "components.pilot.k8s.replicaCount=2")
    assert res.exit_code == 0
    assert res.stderr == ("components.pilot.k8s is not translated for Istio's charts and has no effect; "
                          "set the charts' values instead\n")
