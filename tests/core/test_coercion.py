"""Plain option values are coerced without typer's pydantic adapters, with the same results."""

from __future__ import annotations

import subprocess
import sys
from typing import Annotated, Any

import pytest
import typer

from meshctl.cli.coercion import install


def _run(*args: str) -> dict[str, Any]:
    install()
    seen: dict[str, Any] = {}
    app = typer.Typer(add_completion=False)

    @app.command()
    def cmd(
        count: Annotated[int, typer.Option("--count")] = 1,
        ratio: Annotated[float, typer.Option("--ratio")] = 0.5,
        name: Annotated[str | None, typer.Option("--name")] = None,
        tags: Annotated[list[str] | None, typer.Option("--tag")] = None,
        flag: Annotated[bool | None, typer.Option("--flag/--no-flag")] = None,
        parsed: Annotated[float, typer.Option("--parsed", parser=lambda v: float(str(v).rstrip("s")))] = 1.0,
    ) -> None:
        seen.update(count=count, ratio=ratio, name=name, tags=tags, flag=flag, parsed=parsed)

    typer.main.get_command(app).main(list(args), standalone_mode=False)
    return seen


def test_plain_values() -> None:
    assert _run("--count", "3", "--ratio", "2", "--name", "x", "--tag", "a", "--tag", "b", "--no-flag",
                "--parsed", "30s") == {"count": 3, "ratio": 2.0, "name": "x", "tags": ["a", "b"], "flag": False,
                                       "parsed": 30.0}


def test_defaults() -> None:
    assert _run() == {"count": 1, "ratio": 0.5, "name": None, "tags": None, "flag": None, "parsed": 1.0}


@pytest.mark.parametrize("args", [("--count", "three"), ("--ratio", "x"), ("--parsed", "soon")])
def test_bad_values_are_usage_errors(args: tuple[str, ...]) -> None:
    with pytest.raises(typer.BadParameter):
        _run(*args)


def test_short_commands_never_import_pydantic() -> None:
    code = ("import sys\nfrom meshctl.__main__ import main\nmain(['version'])\nmain(['--help'])\n"
            "print('pydantic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[-1] == "False"
