"""Generate meshctl's offline schemas from the OpenAPI v3 schemas of Istio's published CRDs.

    python -m meshctl.schemas.generate [CRD_YAML ...]      # write meshctl/schemas/data/*.json
    python -m meshctl.schemas.generate --check [CRD_YAML]  # exit 1 when the data is stale

The default input is Istio's ``crd-all.gen.yaml`` from the base chart (``../shared/istio``).
Output: one JSON file per API group, ``{"kinds": {Kind: {plural, scope, versions: {name:
{served, storage, schema}}}}, "schemas": [spec schema, ...]}``, where a spec schema is the
CRD's structural schema of ``spec`` kept to what validation needs (types, properties, items,
required, value limits, junctors, ``x-kubernetes-*`` markers) and the CEL rules meshctl
evaluates, as check tokens under ``x-meshctl-checks`` (see :mod:`meshctl.schemas.cel`).
Descriptions and other prose are not kept. Versions with the same schema share one entry.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml

from meshctl.schemas import cel

DATA_DIR = Path(__file__).with_name("data")
DEFAULT_SOURCE = Path(__file__).resolve().parents[3] / "shared/istio/charts/base/files/crd-all.gen.yaml"
CHECKS = "x-meshctl-checks"
_KEEP = frozenset({
    "type", "format", "enum", "required", "nullable", "minimum", "maximum", "exclusiveMinimum",
    "exclusiveMaximum", "minLength", "maxLength", "pattern", "minItems", "maxItems", "uniqueItems",
    "minProperties", "maxProperties", "x-kubernetes-int-or-string", "x-kubernetes-preserve-unknown-fields",
    "x-kubernetes-list-type", "x-kubernetes-list-map-keys", "x-kubernetes-map-type",
})
_NESTED = ("items", "additionalProperties", "not")
_JUNCTORS = ("oneOf", "anyOf", "allOf")


def compact(node: Any) -> Any:
    """A schema node reduced to what validation uses, with CEL rules as check tokens."""
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {k: v for k, v in node.items() if k in _KEEP}
    if "properties" in node:
        out["properties"] = {name: compact(sub) for name, sub in node["properties"].items()}
    for key in _NESTED:
        if key in node:
            out[key] = compact(node[key])
    for key in _JUNCTORS:
        if key in node:
            out[key] = [compact(sub) for sub in node[key]]
    checks = cel.tokens(node.get("x-kubernetes-validations") or ())
    if checks:
        out[CHECKS] = checks
    return out


def _spec_schema(version: dict[str, Any]) -> Any:
    root = ((version.get("schema") or {}).get("openAPIV3Schema")) or {}
    return compact((root.get("properties") or {}).get("spec") or {"type": "object"})


def _crds(paths: Iterable[Path]) -> list[dict[str, Any]]:
    crds: list[dict[str, Any]] = []
    for path in paths:
        with open(path, "rb") as stream:
            for doc in yaml.load_all(stream, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
                if isinstance(doc, dict) and doc.get("kind") == "CustomResourceDefinition":
                    crds.append(doc)
    return crds


def build(paths: Iterable[Path]) -> dict[str, dict[str, Any]]:
    """The data, one document per API group, from CRD files."""
    groups: dict[str, dict[str, Any]] = {}
    texts: dict[str, dict[str, int]] = {}
    for crd in sorted(_crds(paths), key=lambda c: (c["spec"]["group"], c["spec"]["names"]["kind"])):
        spec = crd["spec"]
        group = groups.setdefault(spec["group"], {"kinds": {}, "schemas": []})
        seen = texts.setdefault(spec["group"], {})
        versions: dict[str, Any] = {}
        for version in spec.get("versions") or []:
            schema = _spec_schema(version)
            text = json.dumps(schema, sort_keys=True)
            if text not in seen:
                seen[text] = len(group["schemas"])
                group["schemas"].append(schema)
            versions[version["name"]] = {"served": bool(version.get("served", True)),
                                         "storage": bool(version.get("storage", False)),
                                         "schema": seen[text]}
        group["kinds"][spec["names"]["kind"]] = {"plural": spec["names"]["plural"],
                                                 "scope": spec.get("scope", "Namespaced"),
                                                 "versions": versions}
    return groups


def render(data: dict[str, Any]) -> str:
    """The file text for one group (stable: sorted keys, one line per schema node)."""
    return json.dumps(data, sort_keys=True, indent=0, ensure_ascii=False) + "\n"


def outputs(paths: Iterable[Path]) -> dict[str, str]:
    """File name -> text for every group."""
    return {f"{group}.json": render(data) for group, data in build(paths).items()}


def stale(expected: dict[str, str], directory: Path = DATA_DIR) -> list[str]:
    """Files that differ from what the generator writes (missing, changed or left over)."""
    present = {p.name for p in directory.glob("*.json")} if directory.is_dir() else set()
    out = [name for name, text in expected.items()
           if not (directory / name).is_file() or (directory / name).read_text(encoding="utf-8") != text]
    return sorted(out + sorted(present - set(expected)))


def main(argv: Sequence[str] | None = None) -> int:
    """Write (or, with ``--check``, compare) the generated schema data."""
    parser = argparse.ArgumentParser(prog="python -m meshctl.schemas.generate", description=__doc__.split("\n")[0])
    parser.add_argument("crds", nargs="*", type=Path, help="CRD YAML files (default: Istio's crd-all.gen.yaml)")
    parser.add_argument("--check", action="store_true", help="exit 1 when the committed data is stale")
    args = parser.parse_args(argv)
    sources = args.crds or [DEFAULT_SOURCE]
    expected = outputs(sources)
    if args.check:
        bad = stale(expected)
        for name in bad:
            print(f"{DATA_DIR / name} is stale; run python -m meshctl.schemas.generate", file=sys.stderr)
        return 1 if bad else 0
    DATA_DIR.mkdir(exist_ok=True)
    for leftover in set(p.name for p in DATA_DIR.glob("*.json")) - set(expected):
        (DATA_DIR / leftover).unlink()
    for name, text in expected.items():
        (DATA_DIR / name).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
