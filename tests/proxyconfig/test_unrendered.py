"""An Envoy that cannot print a section as JSON (HTTP 200 "Failed to convert protobuf message to JSON
string", here a real Envoy holding a rejected listener): meshctl reads section by section, shows what
renders and names the section that does not."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.proxyconfig.envoy_harness import CLUSTER, V43


@pytest.fixture(scope="module")
def broken_envoy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    import time

    import httpx

    from tests.proxyconfig.conftest import started_envoy
    from tests.proxyconfig.envoy_harness import with_unprintable_listener

    with started_envoy(tmp_path_factory, "broken-envoy") as proxy:
        proxy.ads.push_snapshot(V43, with_unprintable_listener(42))
        end = time.monotonic() + 10
        while "Failed to convert" not in httpx.get(proxy.admin_url + "/config_dump", timeout=2).text:
            assert time.monotonic() < end, "envoy did not reject the listener"
            time.sleep(0.05)
        yield proxy


def test_full_dump_really_fails(broken_envoy: Any) -> None:
    import httpx

    resp = httpx.get(broken_envoy.admin_url + "/config_dump", timeout=5)
    assert resp.status_code == 200 and resp.text.startswith("Failed to convert protobuf message to JSON string")


def test_other_sections_still_read(run_cli, broken_envoy: Any) -> None:
    res = run_cli("pc", "clusters", "--admin-url", broken_envoy.admin_url, "-o", "rows-json")
    assert res.exit_code == 0, res.stderr
    assert CLUSTER in {r["name"] for r in json.loads(res.stdout)}
    assert run_cli("pc", "secrets", "--admin-url", broken_envoy.admin_url).exit_code == 0


def test_the_section_that_does_not_render_is_named(run_cli, broken_envoy: Any) -> None:
    res = run_cli("pc", "listeners", "--admin-url", broken_envoy.admin_url)
    assert res.exit_code == 65 and res.stdout == ""
    assert res.stderr.count("\n") == 1
    assert "could not render its listeners section as JSON" in res.stderr
    assert "does not look like an Envoy admin endpoint" not in res.stderr


def test_dump_shows_the_rest_and_names_the_section(run_cli, broken_envoy: Any) -> None:
    res = run_cli("pc", "dump", "--admin-url", broken_envoy.admin_url)
    assert res.exit_code == 65
    sections = [line.split()[0] for line in res.stdout.splitlines()[1:] if line and not line.startswith("SECTION")]
    assert {"bootstrap", "clusters", "routes", "secrets"} <= set(sections) and "listeners" not in sections
    assert "could not render its listeners section" in res.stderr
    raw = run_cli("pc", "dump", "--admin-url", broken_envoy.admin_url, "-o", "json")
    kinds = [c["@type"].rsplit(".", 1)[-1] for c in json.loads(raw.stdout)["configs"]]
    assert "ClustersConfigDump" in kinds and "ListenersConfigDump" not in kinds


def test_a_saved_failure_text_is_unreadable_input(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "dump.json"
    path.write_text("Failed to convert protobuf message to JSON string: INVALID_ARGUMENT: could not find @type")
    res = run_cli("pc", "clusters", "-f", str(path))
    assert res.exit_code == 65 and "Traceback" not in res.stderr


def test_diff_refuses_a_side_with_a_section_left_out(run_cli, broken_envoy: Any, tmp_path: Path) -> None:
    saved = tmp_path / "other.json"
    saved.write_text('{"configs": []}')
    res = run_cli("pc", "diff", broken_envoy.admin_url, str(saved))
    assert res.exit_code == 65 and "could not render its listeners section" in res.stderr
