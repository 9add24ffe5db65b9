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


def test_help_summaries_are_current() -> None:
    from meshctl.cli import summaries

    assert summaries.FILE.read_text() == summaries.render(), \
        "meshctl/cli/summaries.json is stale: run python -m meshctl.cli.summaries"


def test_help_lists_every_visible_command_without_importing_it() -> None:
    import subprocess
    import sys

    code = ("import sys\nfrom meshctl.__main__ import main\nmain(['--help'])\n"
            "print(sorted(m for m in sys.modules if m.startswith('meshctl.cli.') and m not in "
            "('meshctl.cli.app', 'meshctl.cli.coercion', 'meshctl.cli.summaries')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    from meshctl.cli.app import COMMANDS

    listed = {line.split()[0] for line in out.splitlines() if line.startswith("  ") and line.split()[0] in COMMANDS}
    assert listed == {name for name, entry in COMMANDS.items() if not entry.hidden}
    assert out.splitlines()[-1] == "[]", "--help imported command modules"
