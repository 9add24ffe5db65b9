"""Shared test helpers: run the CLI in-process and locate the shared reference data."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest_plugins = ["tests.fakeapi.fixtures", "tests.realkube.fixtures", "tests.fuzz.options"]

REPO = Path(__file__).resolve().parent.parent
SHARED_ISTIO = Path(os.environ.get("MESHCTL_SHARED_ISTIO", REPO.parent / "shared" / "istio"))


@dataclass
class CliResult:
    """What a CLI run produced."""

    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Run meshctl in-process: ``run_cli("analyze", "-f", path)``."""
    from meshctl.__main__ import main

    monkeypatch.delenv("MESHCTL_DEBUG", raising=False)

    def _run(*args: str, stdin: str | None = None) -> CliResult:
        if stdin is not None:
            import io
            import sys

            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return _run


@pytest.fixture
def shared_istio() -> Path:
    """``../shared/istio``; tests that need it skip when it is absent."""
    if not SHARED_ISTIO.is_dir():
        pytest.skip("../shared/istio is not present")
    return SHARED_ISTIO


@pytest.fixture(autouse=True)
def _fresh_cluster_clients():
    """Cluster clients are cached per options; each test starts and ends without one."""
    from meshctl.cluster.client import reset_clients

    reset_clients()
    yield
    reset_clients()


@pytest.fixture(autouse=True)
def _private_discovery_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test has its own discovery cache (servers on reused ports must not share one)."""
    monkeypatch.setenv("MESHCTL_CACHE_DIR", str(tmp_path_factory.mktemp("meshctl-cache")))
