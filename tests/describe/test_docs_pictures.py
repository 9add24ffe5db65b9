"""The pictures in README.md and docs/describe.md are what describe draws for examples/ today."""

from __future__ import annotations

import pytest

from tests.conftest import REPO
from tests.describe.test_describe import EXAMPLES


@pytest.mark.parametrize(("doc", "args"), [
    ("README.md", ("service", "reviews.shop")),
    ("docs/describe.md", ("service", "reviews.shop")),
    ("docs/describe.md", ("pod", "frontend-6c7d8e9f0-klmno.shop")),
])
def test_pictures_are_current(run_cli, doc: str, args: tuple[str, ...]) -> None:
    res = run_cli("describe", *args, "-f", EXAMPLES, "-o", "mermaid")
    assert res.exit_code == 0, res.stderr
    assert f"```mermaid\n{res.stdout}```" in (REPO / doc).read_text(), f"{doc} is stale: regenerate the picture"
