"""The block-style outline (meshctl.sources.blocklines) finds the same field lines as libyaml's
nodes, for every field of every manifest in the tests, or declines (and libyaml is asked)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from meshctl.sources import blocklines
from meshctl.sources.files import parse_file
from meshctl.sources.lines import FileLines, _find_object, field_line
from tests.conftest import REPO

SAMPLES = sorted(p for folder in ("tests", "examples", "benchmarks", "docs") if (REPO / folder).is_dir()
                 for p in (REPO / folder).rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def _paths(value: Any, prefix: str = "") -> list[str]:
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, child in value.items():
            key = str(key)
            path = f"{prefix}[{key}]" if "." in key and prefix else (f"{prefix}.{key}" if prefix else key)
            out += _paths(child, path)
            out.append(f"{prefix}.{key}.missing" if prefix else f"{key}.missing")
    elif isinstance(value, list):
        for i, child in enumerate(value):
            out += _paths(child, f"{prefix}[{i}]")
        out.append(f"{prefix}[{len(value)}]")
    return out


def _both(lines: FileLines, doc_line: int, identity: tuple[str, str, str | None], path: str
          ) -> tuple[int | None, int | None] | None:
    tree = lines._outline(doc_line)
    if tree is None or not isinstance(tree, tuple):
        return None
    try:
        found = blocklines.find_object(tree, identity)
        fast = None if found is None else field_line_fast(found, path)
    except blocklines.Unsure:
        return None
    root = lines._document(doc_line)
    obj = _find_object(root, identity) if root is not None else None
    slow = None if obj is None else field_line(obj, path)
    return fast, slow


def field_line_fast(found: Any, path: str) -> int:
    return blocklines.field_line(found, path)


def _load(path: Path) -> list[Any]:
    try:
        return parse_file(str(path))
    except Exception:  # noqa: BLE001 - samples that are meant to be bad input
        return []


def test_there_are_samples() -> None:
    assert len(SAMPLES) > 20


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: str(p.relative_to(REPO)))
def test_same_lines_as_libyaml(sample: Path) -> None:
    _compare(sample)


def _compare(path: Path) -> int:
    compared = 0
    for res in _load(path):
        lines = res.origin.lines
        if not isinstance(lines, FileLines) or not res.origin.line:
            continue
        identity = (res.kind, res.name, res.namespace)
        for field in ["", *_paths(res.body)][:400]:
            both = _both(lines, res.origin.line, identity, field)
            if both is not None:
                compared += 1
                assert both[0] == both[1], f"{path}:{res.origin.line} {field}"
    return compared


def test_same_lines_as_libyaml_over_a_generated_mesh(tmp_path: Path) -> None:
    """The benchmark's mesh (as PyYAML writes it: block style, anchors and aliases)."""
    import sys

    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from generate import generate
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    compared = sum(_compare(p) for p in sorted(generate(120, tmp_path / "gen").glob("*.yaml")))
    assert compared > 1000


def test_outline_declines_what_it_cannot_read_exactly() -> None:
    for text in ("- &x 1\n- *x\n", "a: {b: 1}\n", "a: [1]\n", "a: !!str 1\n", "'a': 1\n", "a: \"b\n  c\"\n",
                 "a: b\n  c\n", "a:\tb\n", "a: 1\r\nb: 2\r\n", "? a\n: b\n", "--- a\n", "-\n  a: 1\n"):
        with pytest.raises(blocklines.Unsure):
            blocklines.outline(text)


def test_outline_reads_block_style() -> None:
    text = ("kind: VirtualService  # c\nmetadata:\n  name: r\nspec:\n  hosts:\n  - a\n  http:\n  - route:\n"
            "    - destination:\n        host: b\n  tcp: |\n    text: here\n\n    more\n  tls: 'x'\n---\nkind: Other\n")
    tree = blocklines.outline(text)
    assert tree is not None
    found = blocklines.find_object(tree, ("VirtualService", "r", None))
    assert found is not None
    assert blocklines.field_line(found, "spec.http[0].route[0].destination.host") == 9
    assert blocklines.field_line(found, "spec.hosts[0]") == 5
    assert blocklines.field_line(found, "spec.tls") == 14
    assert blocklines.field_line(found, "spec.http[0].route[0].destination.port") == 8


TRICKY = [
    "kind: K\nmetadata:\n  name: a\n  labels: &l\n    app: x # c\n    v.1/y: '2'\n"
    "spec:\n  sel: *l\n  n: &n 3\n  m: *n\n",
    "kind: K\nmetadata: {name: a}\nspec:\n  x: 1\n",
    "kind: K\nmetadata:\n  name: a\nspec:\n  script: |-\n    line: one\n\n    - two\n  after: >2\n      x\n  last: 1\n",
    "kind: K\nmetadata:\n  name: a\nspec:\n  - - 1\n    - 2\n  -   b: 3\n      c: [4]\n",
    "kind: K\nmetadata:\n  name: a\n  namespace: n\nspec:\n  list:\n  - a: 1\n    b:\n    - c\n  - d\n  key  : v\n",
    "apiVersion: v1\nkind: List\nitems:\n- kind: K\n  metadata:\n    name: a\n"
    "  spec:\n    x: \"q: # not\"\n    y: 'it''s'\n",
    "kind: K\nmetadata:\n  name: a\nspec:\n  url: http://x:80/p\n  a:b: c\n  empty:\n  null_item: ~\n",
]


@pytest.mark.parametrize("text", TRICKY)
def test_same_lines_as_libyaml_for_tricky_block_style(text: str) -> None:
    identity = ("K", "a", "n" if "namespace: n" in text else None)
    lines = FileLines("tricky.yaml", text)
    lines.add_document(1)
    paths = ["spec", "spec.sel.app", "spec.sel.v.1/y", "spec.sel[v.1/y]", "spec.m", "spec.x", "spec.script",
             "spec.after", "spec.last", "spec[0][1]", "spec[1].c", "spec[1].b", "spec.list[0].b[0]",
             "spec.list[1]", "spec.key", "spec.y", "spec.url", "spec.a:b", "spec.empty.deeper", "spec.null_item",
             "metadata.labels.app", "metadata.name", "nowhere"]
    for path in paths:
        both = _both(lines, 1, identity, path)
        if both is not None:
            assert both[0] == both[1], path
        root = lines._document(1)
        obj = _find_object(root, identity)
        assert lines.line_of(1, identity, path) == (None if obj is None else 1 + field_line(obj, path))
