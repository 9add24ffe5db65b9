"""pytest options of the fuzz suite (registered from tests/conftest.py): ``--fuzz-cases N``, ``--fuzz-seed S``."""

from __future__ import annotations

from typing import Any

import pytest

#: the size of the fuzz run in the normal test run (a few seconds on two cores)
DEFAULT_CASES = 40
DEFAULT_SEED = 14
_SUMMARY: list[str] = []


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("fuzz", "hostile-input fuzz suite (tests/fuzz)")
    group.addoption("--fuzz-cases", type=int, default=DEFAULT_CASES,
                    help=f"number of generated cases (default {DEFAULT_CASES}; long runs: 2000 or more)")
    group.addoption("--fuzz-seed", type=int, default=DEFAULT_SEED,
                    help=f"seed of the generator (default {DEFAULT_SEED})")
    group.addoption("--fuzz-jobs", type=int, default=2, help="cases run at once (default 2)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Long runs get time in proportion to their size (pytest-timeout's default is for one normal test)."""
    cases = config.getoption("--fuzz-cases")
    for item in items:
        if item.nodeid.startswith("tests/fuzz/") and item.name == "test_the_contract_holds":
            item.add_marker(pytest.mark.timeout(max(300, 3 * cases)))


def record(line: str) -> None:
    """A line for the end-of-run summary."""
    _SUMMARY.append(line)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _SUMMARY:
        terminalreporter.section("fuzz")
        for line in _SUMMARY:
            terminalreporter.write_line(line)
