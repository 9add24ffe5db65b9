"""The one-line help of every top-level command, so ``meshctl --help`` need not import each command.

The lines are the first sentences of the commands' docstrings, kept in ``summaries.json`` here.
Regenerate with ``python -m meshctl.cli.summaries`` after changing a command's docstring or adding
a command; ``tests/core/test_generated.py`` fails when the file is stale. A command missing from
the file is described from its docstring (importing it), so a stale file never hides a command.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

FILE = Path(__file__).with_name("summaries.json")


@cache
def summaries() -> dict[str, str]:
    """Command name -> its one-line help, as last generated (empty when the file is missing)."""
    try:
        data = json.loads(FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def summary(name: str) -> str:
    """The one-line help of a top-level command."""
    known = summaries().get(name)
    if known is not None:
        return known
    from meshctl.cli.app import short_help

    return short_help(name)


def generate() -> dict[str, str]:
    """The summaries from the commands themselves (imports every command)."""
    from meshctl.cli.app import COMMANDS, short_help

    return {name: short_help(name) for name, entry in COMMANDS.items() if not entry.hidden}


def render() -> str:
    """The text of ``summaries.json``."""
    return json.dumps(generate(), indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    FILE.write_text(render(), encoding="utf-8")
