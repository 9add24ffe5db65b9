"""Reading resources from files, directories and stdin."""

from __future__ import annotations

from pathlib import Path

import pytest

from meshctl.errors import ExitCode, InputError
from meshctl.sources.files import load_paths, parse_text, split_documents

MULTI = """\
# leading comment
apiVersion: v1
kind: Service
metadata: {name: a, namespace: ns1}
---
---
apiVersion: v1
kind: Service
metadata:
  name: b
--- # trailing comment on marker
apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: ConfigMap, metadata: {name: c1}}
- {apiVersion: v1, kind: ConfigMap, metadata: {name: c2}}
"""


def test_multi_document_lines_and_lists() -> None:
    res = parse_text(MULTI, "m.yaml")
    assert [(r.kind, r.name, r.origin.line) for r in res] == [
        ("Service", "a", 2), ("Service", "b", 7), ("ConfigMap", "c1", 12), ("ConfigMap", "c2", 12)]
    assert res[0].namespace == "ns1" and res[1].namespace is None


def test_split_keeps_line_numbers() -> None:
    docs = list(split_documents("a: 1\n---\nb: 2\n\n---\n\nc: 3\n"))
    assert [d.first_line for d in docs] == [1, 3, 6]


def test_json_object_and_array() -> None:
    one = parse_text('{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}}', "p.json")
    many = parse_text('[{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}},'
                      '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "q"}}]', "p.json")
    assert [r.name for r in one] == ["p"] and [r.name for r in many] == ["p", "q"]


def test_broken_yaml_names_file_and_line() -> None:
    text = "apiVersion: v1\nkind: Pod\nmetadata: {name: ok}\n---\napiVersion: v1\nkind: [\n"
    with pytest.raises(InputError) as err:
        parse_text(text, "bad.yaml")
    assert err.value.exit_code == ExitCode.BAD_INPUT
    assert str(err.value).startswith("bad.yaml:")
    line = int(str(err.value).split(":")[1])
    assert line >= 5


def test_ignore_unknown_skips_broken_documents() -> None:
    text = "apiVersion: v1\nkind: Pod\nmetadata: {name: ok}\n---\n: [\n---\nfoo: bar\n"
    assert [r.name for r in parse_text(text, "x.yaml", ignore_unknown=True)] == ["ok"]


def test_non_object_document_is_an_error() -> None:
    with pytest.raises(InputError, match="no apiVersion or kind"):
        parse_text("foo: bar\n", "x.yaml")


def test_directory_recursion_and_suffixes(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.yaml").write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n")
    (tmp_path / "sub" / "b.yml").write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: b}\n")
    (tmp_path / "sub" / "c.json").write_text('{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "c"}}')
    (tmp_path / "notes.txt").write_text("not yaml: [")
    assert sorted(r.name for r in load_paths([str(tmp_path)])) == ["a", "b", "c"]


def test_missing_path() -> None:
    with pytest.raises(InputError, match="no such file"):
        load_paths(["/nonexistent/path.yaml"])


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.StringIO("apiVersion: v1\nkind: Pod\nmetadata: {name: s}\n"))
    res = load_paths(["-"])
    assert res[0].name == "s" and res[0].origin.path == "-"
