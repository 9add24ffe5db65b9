"""Profiles, --set parsing, overlay merge and schema validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from meshctl import ISTIO_VERSION
from meshctl.errors import ExitCode, InputError, UsageError
from meshctl.install.config import build_config, merge, parse_scalar, profile_names, set_path


def test_profiles_shipped() -> None:
    assert {"default", "demo", "minimal", "empty", "ambient", "remote"} <= set(profile_names())


@pytest.mark.parametrize(("text", "value"), [
    ("true", True), ("False", False), ("3", 3), ("-2", -2), ("0.5", 0.5), ("1.2.3", "1.2.3"), ("abc", "abc"),
])
def test_scalars_are_typed(text: str, value: object) -> None:
    assert parse_scalar(text) == value and type(parse_scalar(text)) is type(value)


def test_tag_and_hub_stay_strings() -> None:
    cfg = build_config(sets=["tag=1.28", "hub=10"])
    assert cfg.tag == "1.28" and cfg.hub == "10"


def test_defaults_hub_and_tag() -> None:
    cfg = build_config()
    assert cfg.image("pilot") == f"docker.io/istio/pilot:{ISTIO_VERSION}"


def test_set_path_with_index() -> None:
    tree: dict = {"components": {"ingressGateways": [{"name": "a", "enabled": True}]}}
    set_path(tree, "components.ingressGateways[0].enabled", False)
    assert tree["components"]["ingressGateways"][0]["enabled"] is False
    with pytest.raises(UsageError):
        set_path(tree, "components.ingressGateways[3].enabled", False)


def test_gateways_merge_by_name() -> None:
    base = {"gw": [{"name": "a", "enabled": True, "k8s": {"replicaCount": 2}}]}
    out = merge(base, {"gw": [{"name": "a", "enabled": False}, {"name": "b", "enabled": True}]})
    assert out["gw"] == [{"name": "a", "enabled": False, "k8s": {"replicaCount": 2}},
                         {"name": "b", "enabled": True}]


def test_precedence_profile_overlay_set(tmp_path: Path) -> None:
    overlay = tmp_path / "o.yaml"
    overlay.write_text("apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\n"
                       "spec:\n  profile: demo\n  meshConfig:\n    accessLogFile: /tmp/a\n")
    cfg = build_config(overlay_files=[str(overlay)], sets=["meshConfig.accessLogFile=/tmp/b"])
    assert cfg.profile == "demo"
    assert cfg.spec["meshConfig"]["accessLogFile"] == "/tmp/b"
    assert cfg.gateways("egressGateways")  # demo's egress gateway survived the overlay
    assert build_config("minimal", overlay_files=[str(overlay)]).profile == "minimal"


def test_revision_flag_wins() -> None:
    assert build_config(sets=["revision=a"], revision="b").revision == "b"


@pytest.mark.parametrize(("overlay", "path"), [
    ("spec:\n  components:\n    pilot:\n      enabeld: true\n", "spec.components.pilot: unknown field 'enabeld'"),
    ("spec:\n  components:\n    pilot:\n      enabled: yes-please\n", "spec.components.pilot.enabled"),
    ("spec:\n  values:\n    pilot:\n      autoscaleMin: many\n", "spec.values.pilot.autoscaleMin"),
    ("spec:\n  bogus: 1\n", "spec: unknown field 'bogus'"),
    ("kind: Deployment\n", "kind"),
    ("spec:\n  revision: Not_Valid\n", "spec.revision"),
])
def test_overlay_errors_name_the_path(tmp_path: Path, overlay: str, path: str) -> None:
    file = tmp_path / "bad.yaml"
    file.write_text(overlay)
    with pytest.raises(InputError) as info:
        build_config(overlay_files=[str(file)])
    assert path in str(info.value) and info.value.exit_code == ExitCode.BAD_INPUT


def test_set_errors_name_the_path() -> None:
    with pytest.raises(InputError, match=r"spec\.values\.global\.proxy: unknown field 'lvl'"):
        build_config(sets=["values.global.proxy.lvl=debug"])


def test_unreadable_overlay(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        build_config(overlay_files=[str(tmp_path / "missing.yaml")])
    (tmp_path / "x.yaml").write_text("a: [")
    with pytest.raises(InputError, match="not valid YAML"):
        build_config(overlay_files=[str(tmp_path / "x.yaml")])


def test_unknown_profile_is_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown profile"):
        build_config("nope")
