"""Field lines found from what loading recorded agree with the lines of the document parsed again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from meshctl.errors import InputError
from meshctl.sources import lines
from meshctl.sources.files import parse_text
from meshctl.sources.loading import yaml_value

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

CASES = {
    "list": "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n"
            "  metadata: {name: a, namespace: n}\n  spec:\n    ports:\n    - {port: 80, name: http}\n"
            "- apiVersion: v1\n  kind: Service\n  metadata:\n"
            "    name: b\n  spec: {}\n",
    "nested": "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec:\n  x: [[1, 2], [], {}, [a, {b: c}]]\n"
              "  ports:\n  -\n    port: 1\n  - port: 2\n",
    "marker line": "--- {apiVersion: v1, kind: Service, metadata: {name: a, namespace: default}, spec: {a: {b: [1]}}}\n"
                   "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: c\n  labels: {version: 2, app: x}\n"
                   "  annotations:\n    sidecar.istio.io/inject: 'false'\n    a.b: c\nspec:\n  selector:\n"
                   "    a.b: c\n    a: {b: 1}\n",
    "crlf": "apiVersion: v1\r\nkind: Service\r\nmetadata:\r\n  name: d\r\nspec:\r\n  ports:\r\n  - port: 2\r\n",
    "scalars": "# c\napiVersion: v1 # x\nkind: Service\nmetadata:\n  name: e\n  namespace: ''\nspec:\n  text: |\n"
               "    a: b\n  other: >\n    x\n  q: \"a\\nb\"\n  '': 1\n  a: 2\n  'a.': 3\n",
    # documents whose lines are found by parsing again (anchors, merge keys, keys that are not
    # strings, names that are not strings, duplicates, directives)
    "anchor": "apiVersion: v1\nkind: Service\nmetadata: &m\n  name: m\nspec:\n  <<: {a: 1}\n  b: *m\n",
    "int key": "apiVersion: v1\nkind: Service\nmetadata:\n  name: h\n  labels:\n    0x1F: x\nspec: {a: 1}\n",
    "bool name": "apiVersion: v1\nkind: Service\nmetadata:\n  name: off\nspec: {a: 1}\n",
    "duplicate": "apiVersion: v1\nkind: Service\nmetadata:\n  name: i\nspec:\n  a: 1\n  a: {b: 2}\n",
    "directive": "%YAML 1.1\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: k\nspec: {a: 1}\n",
}


def _paths(value: Any, prefix: str = "") -> list[str]:
    out = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            out += [*_paths(item, path), f"{prefix}[{key}]", f"{path}.missing", f"{path}x"]
    elif isinstance(value, list):
        for i, item in enumerate(value):
            out += _paths(item, f"{prefix}[{i}]")
        out += [f"{prefix}[{len(value)}]", f"{prefix}[x]"]
    return out


def _compare(text: str, name: str) -> int:
    """Lookups answered from records, each checked against the document parsed again."""
    resources = parse_text(text, name)
    used = 0
    for res in resources:
        source = res.origin.lines
        again = lines.FileLines(name, text)  # no records: parses the document again
        again.doc_lines = source.doc_lines
        for identity in [(res.kind, res.name, res.namespace), (res.kind, res.name + "-other", res.namespace)]:
            for path in _paths(res.body):
                record = source._records.get(res.origin.line)
                found = lines.recorded_line(record, identity, path) if record else lines._UNKNOWN
                if found is lines._UNKNOWN:
                    continue
                used += 1
                expected = again.line_of(res.origin.line, identity, path)
                assert (None if found is None else res.origin.line + found) == expected, (name, identity, path)
    return used


@pytest.mark.parametrize("name", sorted(CASES))
def test_recorded_lines_agree_with_parsing_again(name: str) -> None:
    used = _compare(CASES[name], f"{name}.yaml")
    recorded = name in ("list", "nested", "marker line", "crlf", "scalars")
    assert (used > 0) == recorded


def test_recorded_lines_agree_on_the_examples() -> None:
    used = 0
    for path in sorted(EXAMPLES.rglob("*.yaml")):
        try:
            used += _compare(path.read_text(encoding="utf-8"), str(path))
        except InputError:
            continue
    assert used > 100


def test_a_string_as_merge_value_is_refused() -> None:
    for text in ("<<: x\n", "a:\n  <<: x\n  b: 1\n", "<<: 'x'\n"):
        with pytest.raises(InputError, match=r"a merge key \(<<\) needs a mapping or a list of mappings"):
            yaml_value(text, "f.yaml")
