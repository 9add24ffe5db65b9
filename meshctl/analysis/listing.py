"""The analyzer list: names, codes and descriptions, for --list-analyzers and the docs."""

from __future__ import annotations

import json

from meshctl.analysis.registry import all_analyzers


def analyzer_rows() -> list[dict[str, object]]:
    """One row per registered analyzer."""
    return [{"name": a.name, "codes": list(a.codes), "inputs": list(a.inputs),
             "default": a.default, "description": a.description()}
            for a in all_analyzers().values()]


def render_analyzer_list(fmt: str) -> str:
    """The list as JSON/YAML, or aligned text."""
    rows = analyzer_rows()
    if fmt == "json":
        return json.dumps(rows, indent=2) + "\n"
    if fmt == "yaml":
        import yaml

        return yaml.safe_dump(rows, sort_keys=False)
    width = max((len(str(r["name"])) for r in rows), default=4)
    lines = [f"{'NAME'.ljust(width)}  CODES / DESCRIPTION"]
    for r in rows:
        codes = ",".join(r["codes"])  # type: ignore[arg-type]
        flag = "" if r["default"] else " (opt-in)"
        lines.append(f"{str(r['name']).ljust(width)}  {codes}{flag}\n{' ' * width}  {r['description']}")
    return "\n".join(lines) + "\n"
