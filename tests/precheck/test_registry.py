"""Meta-tests over the check registry, the catalogue and the generated docs; pure check behaviour."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from meshctl.analysis.message import Message
from meshctl.catalogue import catalogue
from meshctl.precheck.checks.existing import jump_problem
from meshctl.precheck.docs import render_docs
from meshctl.precheck.gather import kubectl_version as real_kubectl_version
from meshctl.precheck.model import Permission, PrecheckRequest, PrecheckSnapshot
from meshctl.precheck.permissions import describe_missing
from meshctl.precheck.profiles import memory_bytes, millicores
from meshctl.precheck.registry import Check, all_checks
from meshctl.precheck.runner import run_checks
from meshctl.precheck.versions import image_tag_version
from tests.conftest import REPO

CHECKS = all_checks()


def test_names_unique_and_slugs() -> None:
    names = [c.name for c in CHECKS]
    assert len(names) == len(set(names))
    assert all(re.fullmatch(r"[a-z0-9-]+", n) for n in names)


@pytest.mark.parametrize("chk", CHECKS, ids=lambda c: c.name)
def test_check_metadata(chk: Check) -> None:
    assert chk.hint[0].isupper() and chk.hint.endswith("."), "hints are one full sentence"
    assert chk.codes and all(code in catalogue() for code in chk.codes)
    assert chk.docs == f"docs/precheck.md#{chk.name}"


def test_precheck_codes_have_descriptions() -> None:
    own = [t for c, t in catalogue().items() if c.startswith("MSH08")]
    assert len(own) >= 20
    assert all(t.description.endswith(".") for t in own)


def test_docs_are_current() -> None:
    path = REPO / "docs" / "precheck.md"
    assert path.read_text() == render_docs(), "docs/precheck.md is stale: run python -m meshctl.precheck.docs"
    for chk in CHECKS:
        assert f"### {chk.name}\n" in path.read_text()


def test_a_raising_check_becomes_ist0001() -> None:
    def broken(snap: PrecheckSnapshot, req: PrecheckRequest) -> list[Message]:
        raise ValueError("boom")

    chk = Check("broken", "data-plane", "Breaks.", broken, codes=("IST0001",))
    snap = PrecheckSnapshot(now=datetime.now(UTC))
    messages, skipped = run_checks([chk], snap, PrecheckRequest())
    assert [(m.code, m.analyzer) for m in messages] == [("IST0001", "broken")]
    assert "ValueError: boom" in messages[0].text and skipped == {}


def test_unreadable_inputs_skip_the_check() -> None:
    chk = next(c for c in CHECKS if c.name == "nodes-ready")
    snap = PrecheckSnapshot(now=datetime.now(UTC), unreadable={"Node": "permission denied: nodes"})
    messages, skipped = run_checks([chk], snap, PrecheckRequest())
    assert messages == [] and "permission denied" in skipped["nodes-ready"]


@pytest.mark.parametrize(("src", "dst", "ok"), [
    ("1.27.3", "1.28.0", True), ("1.28.0", "1.28.1", True), ("1.26.0", "1.28.0", False),
    ("1.28.1", "1.28.0", False), ("garbage", "1.28.0", True),
])
def test_jump_problem(src: str, dst: str, ok: bool) -> None:
    assert (jump_problem(src, dst) is None) is ok


def test_describe_missing_groups_verbs() -> None:
    text = describe_missing([Permission("patch", "secrets", "", "istio-system"),
                             Permission("create", "secrets", "", "istio-system"),
                             Permission("list", "nodes")])
    assert text == "list nodes cluster-wide; create, patch secrets in istio-system"


@pytest.mark.parametrize(("image", "version"), [
    ("docker.io/istio/proxyv2:1.27.1-distroless", "1.27.1"), ("gcr.io/x/proxyv2:1.26", "1.26.0"),
    ("localhost:5000/proxyv2", None), ("istio/proxyv2:1.28.0@sha256:abc", "1.28.0"), (None, None),
])
def test_image_tag_version(image: str | None, version: str | None) -> None:
    assert image_tag_version(image) == version


def test_quantities() -> None:
    assert millicores("3800m") == 3800 and millicores("2") == 2000 and millicores("bad") == 0
    assert memory_bytes("16Gi") == 16 * 2**30 and memory_bytes("1e9") == 10**9
    assert memory_bytes("128974848") == 128974848



def test_kubectl_probe_without_kubectl(monkeypatch: pytest.MonkeyPatch) -> None:
    import meshctl.precheck.gather as gather

    monkeypatch.setattr(gather.shutil, "which", lambda name: None)
    assert real_kubectl_version() is None
