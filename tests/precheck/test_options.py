"""precheck's option values: --from-version must be a version, --profile one of install's profiles."""

from __future__ import annotations

from typing import Any

import pytest

from meshctl.install.config import profile_names
from meshctl.precheck.model import PROFILES
from meshctl.precheck.profiles import REQUIREMENTS


def _usage(res: Any) -> None:
    assert res.exit_code == 64, res.stderr
    assert res.stderr.count("\n") == 1 and res.stderr.startswith("Error: ") and "Traceback" not in res.stderr


@pytest.mark.parametrize("version", ["garbage", "1", "1.27.x", "v1.27.3-rc", "1.27.3.4", ""])
def test_from_version_must_be_a_version(run_cli: Any, fake_api: Any, version: str) -> None:
    fake_api.reset_counters()
    res = run_cli("precheck", "--from-version", version, "--kubeconfig", fake_api.kubeconfig)
    _usage(res)
    assert f"--from-version {version!r} is not a version like 1.27 or 1.27.3" in res.stderr
    assert sum(fake_api.requests.values()) == 0


@pytest.mark.parametrize("version", ["1.27", "1.27.3", "v1.27.3"])
def test_from_version_accepts_versions(run_cli: Any, fake_api: Any, version: str) -> None:
    res = run_cli("precheck", "--from-version", version, "--kubeconfig", fake_api.kubeconfig)
    assert res.exit_code in (0, 79), res.stderr


def test_profiles_are_install_profiles() -> None:
    assert set(PROFILES) == set(profile_names())
    assert set(REQUIREMENTS) == set(profile_names())


@pytest.mark.parametrize("profile", ["empty", "remote"])
def test_install_only_profiles_are_accepted(run_cli: Any, fake_api: Any, profile: str) -> None:
    res = run_cli("precheck", "--profile", profile, "--kubeconfig", fake_api.kubeconfig)
    assert res.exit_code in (0, 79), res.stderr


def test_unknown_profile_names_every_install_profile(run_cli: Any) -> None:
    res = run_cli("precheck", "--profile", "huge")
    _usage(res)
    assert "use one of default, demo, minimal, empty, ambient, remote" in res.stderr
