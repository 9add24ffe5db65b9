"""One findings core: one rule runner, one IST0001 wrapper, one docs generator, one list renderer,
whatever the rules are (analyzers or precheck checks)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from meshctl.analysis.engine import internal_error, run_rules
from meshctl.analysis.message import Message


def _finding(code: str = "IST0118", analyzer: str = "") -> Message:
    return Message.build(code, None, {"port": 80, "port_name": "web"} if code == "IST0118" else {}, analyzer,
                         origin="Service a/b")


def test_run_rules_skips_tags_and_wraps_errors() -> None:
    def call(rule: str) -> list[Message]:
        if rule == "raises":
            raise KeyError("oops")
        return [_finding()]

    run = run_rules(["ok", "raises", "skipped"], str, lambda r: "not served" if r == "skipped" else None, call)
    assert [(m.code, m.analyzer) for m in run.messages] == [("IST0118", "ok"), ("IST0001", "raises")]
    assert run.skipped == {"skipped": "not served"}
    assert "KeyError" in run.messages[1].text and run.messages[1].origin == "raises"


def test_one_internal_error_message_for_analyzers_and_checks() -> None:
    from meshctl.precheck.model import PrecheckRequest, PrecheckSnapshot
    from meshctl.precheck.registry import Check
    from meshctl.precheck.runner import run_checks

    def broken(snap: Any, req: Any) -> list[Message]:
        raise ValueError("boom")

    messages, _ = run_checks([Check("broken", "data-plane", "Breaks.", broken, codes=("IST0001",))],
                             PrecheckSnapshot(now=datetime.now(UTC)), PrecheckRequest())
    expected = internal_error("broken", ValueError("boom"), "Cluster")
    assert messages == [expected]


def test_one_docs_generator_writes_every_rule_page() -> None:
    from meshctl.analysis.docs import generated_docs
    from meshctl.precheck.docs import render_docs

    docs = generated_docs()
    assert set(docs) == {"analyzers.md", "messages.md", "precheck.md"}
    assert docs["precheck.md"] == render_docs()


def test_one_list_renderer_for_analyzers_and_checks(run_cli: Any) -> None:
    analyzers = run_cli("analyze", "--list-analyzers").stdout.splitlines()
    checks = run_cli("precheck", "--list").stdout.splitlines()
    assert analyzers[0].split()[0] == checks[0].split()[0] == "NAME"
    for args in (("analyze", "-L"), ("precheck", "--list")):
        as_json = json.loads(run_cli(*args, "-o", "json").stdout)
        import yaml

        assert yaml.safe_load(run_cli(*args, "-o", "yaml").stdout) == as_json
        assert all(isinstance(row["codes"], list) and row["codes"] for row in as_json)
