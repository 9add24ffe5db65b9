"""SARIF 2.1.0, so code scanning shows findings on their lines."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from meshctl import __version__
from meshctl.analysis.message import Message
from meshctl.analysis.result import Result
from meshctl.catalogue import Level, message_type

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "note"}


def _rule(code: str) -> dict[str, Any]:
    mtype = message_type(code)
    rule: dict[str, Any] = {
        "id": code,
        "name": mtype.name,
        "shortDescription": {"text": mtype.name},
        "fullDescription": {"text": mtype.description or mtype.template},
        "help": {"text": f"{mtype.description or mtype.template} See {mtype.documentation_url}"},
        "defaultConfiguration": {"level": _SARIF_LEVEL[mtype.level]},
    }
    if mtype.documentation_url.startswith("https://"):
        rule["helpUri"] = mtype.documentation_url  # SARIF wants an absolute URI here
    return rule


def _location(m: Message) -> dict[str, Any]:
    logical = {"fullyQualifiedName": m.origin, "kind": "resource"}
    info = m.origin_info
    if not info.path:
        return {"logicalLocations": [logical]}
    physical: dict[str, Any] = {"artifactLocation": {"uri": info.path}}
    if info.line:
        physical["region"] = {"startLine": info.line}
    return {"physicalLocation": physical, "logicalLocations": [logical]}


def _result(m: Message, rule_index: int) -> dict[str, Any]:
    fingerprint = hashlib.sha256(f"{m.code}|{m.origin}|{m.text}".encode()).hexdigest()
    return {
        "ruleId": m.code,
        "ruleIndex": rule_index,
        "level": _SARIF_LEVEL[m.level],
        "message": {"text": m.text},
        "locations": [_location(m)],
        "partialFingerprints": {"meshctl/v1": fingerprint},
    }


def render_sarif(result: Result) -> str:
    """A SARIF 2.1.0 log with one run."""
    shown = result.shown
    codes = sorted({m.code for m in shown})
    index = {c: i for i, c in enumerate(codes)}
    doc = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "meshctl", "version": __version__,
                                "informationUri": "https://istio.io/latest/docs/reference/config/analysis/",
                                "rules": [_rule(c) for c in codes]}},
            "results": [_result(m, index[m.code]) for m in shown],
        }],
    }
    return json.dumps(doc, indent=2) + "\n"
