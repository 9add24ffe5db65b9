"""kube-inject over a YAML stream: injected documents re-serialised, all others kept verbatim."""

from __future__ import annotations

import json
from typing import Any

import yaml

from meshctl.errors import InputError
from meshctl.inject.engine import inject_object
from meshctl.inject.values import InjectionValues
from meshctl.sources.files import split_documents


def _load(text: str, where: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = f" (line {mark.line + 1} of the document)" if mark else ""
        raise InputError(f"{where}: invalid YAML: {exc.problem}{line}") from exc
    except yaml.YAMLError as exc:
        raise InputError(f"{where}: invalid YAML: {exc}") from exc


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


def inject_value(value: Any, values: InjectionValues) -> Any | None:
    """The injected form of a parsed document, or None when nothing in it changes."""
    if not isinstance(value, dict):
        return None
    if str(value.get("kind", "")).endswith("List") and isinstance(value.get("items"), list):
        items = [inject_value(item, values) for item in value["items"]]
        if all(i is None for i in items):
            return None
        merged = [new if new is not None else old for new, old in zip(items, value["items"], strict=True)]
        return {**value, "items": merged}
    return inject_object(value, values)


def inject_documents(text: str, path: str, values: InjectionValues) -> list[str]:
    """Each document of the stream, injected where it has a pod template."""
    if text.lstrip().startswith(("{", "[")):
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{exc.lineno}: invalid JSON: {exc.msg}") from exc
        new = inject_value(value, values)
        return [dump(new if new is not None else value)]
    out = []
    for doc in split_documents(text):
        new = inject_value(_load(doc.text, f"{path}:{doc.first_line}"), values)
        if new is not None:
            out.append(dump(new))
        elif doc.text.strip():
            out.append(doc.text if doc.text.endswith("\n") else doc.text + "\n")
    return out


def inject_text(text: str, path: str, values: InjectionValues) -> str:
    """kube-inject's output for one file: the documents joined by ``---``."""
    return "---\n".join(inject_documents(text, path, values))
