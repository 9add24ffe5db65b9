"""schema.ValidationAnalyzer.<Kind>: schema and Istio rule validation, one analyzer per Istio kind.

The analyzers are generated from the schema registry (``meshctl.schemas.registry``): one per
kind with a generated schema, named and described as istioctl's. The cluster's own CRD schema
is used for the versions it serves when the snapshot holds the kind's CustomResourceDefinition;
otherwise the schemas generated from Istio's published CRDs are. Istio's rules beyond the
schema (``meshctl.schemas.rules``) run through the rule engine's runner: a rule that raises is
one IST0001 and the other rules' findings stay.
"""

from __future__ import annotations

from typing import Any, ClassVar

from meshctl.analysis.context import Context
from meshctl.analysis.message import Message
from meshctl.analysis.registry import Analyzer, register
from meshctl.kinds import KINDS
from meshctl.resource import Resource
from meshctl.schemas.registry import schema_kinds
from meshctl.schemas.validate import Issue

CRD = "CustomResourceDefinition"
PREFIX = "schema.ValidationAnalyzer."


def _crd_schema(crd: Resource | None, version: str) -> tuple[dict[str, Any] | None, tuple[str, ...] | None]:
    """The cluster CRD's OpenAPI spec schema for a version, and the versions it serves (None without a CRD)."""
    if crd is None:
        return None, None
    from meshctl.schemas.openapi import crd_openapi_spec, crd_served_versions

    return crd_openapi_spec(crd.body, version), crd_served_versions(crd.body) or None


class SchemaValidationAnalyzer(Analyzer):
    """Base: validates every resource of ``kind`` (not registered itself)."""

    kind: ClassVar[str] = ""
    codes = ("IST0106", "IST0133", "IST0130", "IST0131")

    def issues(self, res: Resource, crd: Resource | None) -> list[Issue]:
        """The schema issues (apiVersion, schema, value checks) of one resource."""
        from meshctl.schemas.validate import validate_resource

        schema, versions = _crd_schema(crd, res.api_version.rpartition("/")[2])
        return validate_resource(res.body, self.kind, schema, versions, rules=False)

    def _message(self, res: Resource, issue: Issue) -> Message:
        return Message.build(issue.code, res, dict(issue.params), self.name, issue.path)

    def analyze(self, ctx: Context) -> None:
        """Report IST0106/IST0133 with field paths, and IST0130/IST0131 for VirtualServices."""
        from meshctl.analysis.engine import run_rules
        from meshctl.schemas.rules import Rule, rules_for

        info = KINDS[self.kind]
        crd = ctx.resources.get(CRD, None, f"{info.plural}.{info.group}")
        resources = ctx.resources.of_kind(self.kind)
        for res in resources:
            ctx.messages.extend(self._message(res, issue) for issue in self.issues(res, crd))
        specs = [(res, res.body.get("spec")) for res in resources]
        checked = [(res, spec or {}) for res, spec in specs if spec is None or isinstance(spec, dict)]

        def call(rule: Rule) -> list[Message]:
            return [self._message(res, issue) for res, spec in checked for issue in rule(spec)]

        ctx.messages.extend(run_rules(rules_for(self.kind), lambda _: self.name, lambda _: None, call).messages)


def validation_analyzer(kind: str) -> type[SchemaValidationAnalyzer]:
    """The analyzer class for one kind (istioctl's name and description)."""
    attrs: dict[str, Any] = {
        "__doc__": f"Runs schema validation as an analyzer on '{kind}' resources.",
        "__module__": __name__,
        # A generated class has no source of its own: its code is the base class's.
        "__qualname__": SchemaValidationAnalyzer.__qualname__,
        "name": PREFIX + kind,
        "kind": kind,
        "inputs": (kind, CRD),
    }
    return type(f"{kind}Validation", (SchemaValidationAnalyzer,), attrs)


ANALYZERS: dict[str, type[SchemaValidationAnalyzer]] = {}
for _kind in schema_kinds():
    ANALYZERS[_kind] = validation_analyzer(_kind)
    register(ANALYZERS[_kind])
