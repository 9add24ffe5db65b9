"""Project habits that CI relies on: .ci/run, pre-commit hooks, one version, the changelog."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib

import yaml

from meshctl import __version__
from tests.conftest import REPO


def _readme_test_command() -> str:
    readme = (REPO / "README.md").read_text()
    marker = readme.index("# (2)")
    return readme[marker:].splitlines()[1].strip()


def test_ci_runs_lint_types_then_the_readme_test_command_word_for_word() -> None:
    lines = [line.split("#")[0].strip() for line in (REPO / ".ci" / "run").read_text().splitlines()]
    assert "set -euo pipefail" in lines, "a failing step must fail CI"
    command = _readme_test_command()
    assert command in lines
    assert lines.index("ruff check meshctl tests") < lines.index(command)
    assert lines.index("mypy meshctl") < lines.index(command)


def test_strict_mypy_modules_exist() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    strict = [o for o in config["tool"]["mypy"]["overrides"] if o.get("disallow_untyped_defs")]
    assert strict, "no package is type-checked strictly"
    for pattern in strict[0]["module"]:
        package = REPO / pattern.removesuffix(".*").replace(".", "/")
        assert package.is_dir(), f"{pattern} names no package"


def test_one_version_source() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert "version" not in config["project"]
    assert config["project"]["dynamic"] == ["version"]
    assert config["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "meshctl.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)


def test_changelog_has_an_unreleased_section_and_the_current_version() -> None:
    text = (REPO / "CHANGELOG.md").read_text()
    headings = re.findall(r"^## (.+)$", text, re.M)
    assert headings[0] == "Unreleased"
    assert __version__ in headings


def test_contributor_hooks_are_ruff_and_mypy() -> None:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())
    entries = {h["id"]: h["entry"] for repo in config["repos"] for h in repo["hooks"]}
    assert entries == {"ruff": "ruff check", "mypy": "mypy meshctl"}


def _hook_command(*args: str) -> subprocess.CompletedProcess[str]:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    (hook,) = [h for h in hooks if h["id"] == "meshctl-analyze"]
    assert hook["language"] == "python" and hook["require_serial"] is True
    entry = hook["entry"].replace("exec meshctl ", f"exec {sys.executable} -m meshctl ")
    # pre-commit appends the hook's args, then the file names, to the entry.
    return subprocess.run(f"{entry} {' '.join(args)}", shell=True, cwd=REPO, capture_output=True, text=True,
                          check=False)


def test_user_hook_analyzes_every_file_given() -> None:
    files = sorted(str(p.relative_to(REPO)) for p in (REPO / "examples" / "bookinfo").glob("*.yaml"))
    run = _hook_command("--output=json", *files)
    assert run.returncode == 79, run.stderr
    findings = yaml.safe_load(run.stdout)
    referenced = {f["reference"].rsplit(":", 1)[0] for f in findings}
    assert len(referenced) > 1
    assert referenced <= set(files)


def test_user_hook_passes_options_through() -> None:
    clean = REPO / "examples" / "bookinfo" / "namespaces.yaml"
    run = _hook_command("--failure-threshold=Error", "--output-threshold=Error", str(clean.relative_to(REPO)))
    assert run.returncode == 0, run.stdout + run.stderr
