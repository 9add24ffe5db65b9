"""Generated files (rule docs, shell completions) must match the code."""

from __future__ import annotations

import pytest

from meshctl.analysis.docs import generated_docs
from meshctl.cli.completion import SHELLS, render
from tests.conftest import REPO


@pytest.mark.parametrize("name", sorted(generated_docs()))
def test_rule_docs_are_current(name: str) -> None:
    path = REPO / "docs" / name
    assert path.read_text() == generated_docs()[name], \
        f"docs/{name} is stale: run python -m meshctl.analysis.docs"


@pytest.mark.parametrize("shell", SHELLS)
def test_completions_are_current(shell: str) -> None:
    path = REPO / "completions" / f"meshctl.{shell}"
    assert path.read_text() == render(shell), \
        f"{path.name} is stale: run meshctl completion {shell} > completions/meshctl.{shell}"


def test_bash_completion_lists_commands() -> None:
    script = render("bash")
    for command in ("analyze", "proxy-config", "precheck", "kube-inject", "install"):
        assert command in script
