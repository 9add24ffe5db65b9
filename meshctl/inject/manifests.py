"""kube-inject over a YAML stream: injected documents re-serialised, all others kept verbatim."""

from __future__ import annotations

from typing import Any

import yaml

from meshctl.errors import InputError
from meshctl.inject.engine import inject_object
from meshctl.inject.values import InjectionValues
from meshctl.sources.files import split_documents
from meshctl.sources.shape import check_object, list_items


def _load(text: str, where: str) -> Any:
    """One document through the loading layer's guards (depth, aliases, integers, keys, tags)."""
    from meshctl.sources.loading import yaml_value

    path, _, line = where.rpartition(":")
    first = int(line) if line.isdigit() else 1
    value = yaml_value(text, path if line.isdigit() else where, first_line=first)
    _acyclic(value, where)
    return value


def _acyclic(value: Any, where: str) -> None:
    """InputError when a document refers to itself (``a: &a [*a]``): it has no YAML or JSON form."""
    stack: list[tuple[Any, bool]] = [(value, False)]
    open_ids: set[int] = set()
    while stack:
        node, leaving = stack.pop()
        if leaving:
            open_ids.discard(id(node))
            continue
        if not isinstance(node, (dict, list)):
            continue
        if id(node) in open_ids:
            raise InputError(f"{where}: recursive YAML alias")
        open_ids.add(id(node))
        stack.append((node, True))
        stack.extend((child, False) for child in (node.values() if isinstance(node, dict) else node))


class _Dumper(yaml.SafeDumper):
    """Block style for multi-line strings, and no anchors."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str)


def dump(obj: Any) -> str:
    """YAML in Kubernetes' style: keys in their order, block style, no aliases."""

    return yaml.dump(obj, Dumper=_Dumper, sort_keys=False, default_flow_style=False, width=1 << 16)


def inject_value(value: Any, values: InjectionValues, where: str = "input",
                 warnings: list[str] | None = None) -> Any | None:
    """The injected form of a parsed document, or None when nothing in it changes.

    InputError (naming ``where`` and the field) when an object has the wrong shape."""
    if not isinstance(value, dict):
        return None
    kind = value.get("kind")
    if isinstance(kind, str) and kind.endswith("List") and "items" in value:
        items = [inject_value(item, values, where, warnings) for item in list_items(value, where)]
        if all(i is None for i in items):
            return None
        merged = [new if new is not None else old for new, old in zip(items, value["items"], strict=True)]
        return {**value, "items": merged}
    if kind:
        check_object(value, where)
    return inject_object(value, values, warnings)


def inject_documents(text: str, path: str, values: InjectionValues,
                     warnings: list[str] | None = None) -> list[str]:
    """Each document of the stream, injected where it has a pod template."""
    if text.lstrip().startswith(("{", "[")):
        from meshctl.sources.loading import json_value

        value = json_value(text, path)
        new = inject_value(value, values, f"{path}:1", warnings)
        return [dump(new if new is not None else value)]
    out = []
    for doc in split_documents(text):
        where = f"{path}:{doc.first_line}"
        new = inject_value(_load(doc.text, where), values, where, warnings)
        if new is not None:
            out.append(dump(new))
        elif doc.text.strip():
            out.append(doc.text if doc.text.endswith("\n") else doc.text + "\n")
    return out


def inject_text(text: str, path: str, values: InjectionValues, warnings: list[str] | None = None) -> str:
    """kube-inject's output for one file: the documents joined by ``---``."""
    return "---\n".join(inject_documents(text, path, values, warnings))
