"""schema.ValidationAnalyzer.<Kind>: schema and Istio rule validation, one analyzer per Istio kind.

The cluster's own CRD schema is used for the versions it serves when the snapshot holds the
kind's CustomResourceDefinition; otherwise meshctl's schemas (``meshctl.schemas``) are used.
"""

from __future__ import annotations

from typing import Any, ClassVar

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register
from meshctl.kinds import KINDS
from meshctl.resource import Resource
from meshctl.schemas.validate import Issue

CRD = "CustomResourceDefinition"


def _crd_schema(crd: Resource | None, version: str) -> tuple[dict[str, Any] | None, tuple[str, ...] | None]:
    """The cluster CRD's spec schema for a version, and the versions it serves (None without a CRD)."""
    if crd is None:
        return None, None
    from meshctl.schemas.openapi import crd_served_versions, crd_version_schema

    return crd_version_schema(crd.body, version), crd_served_versions(crd.body) or None


class SchemaValidationAnalyzer(Analyzer):
    """Base: validates every resource of ``kind`` (not registered itself)."""

    kind: ClassVar[str] = ""
    codes = ("IST0106", "IST0133", "IST0130", "IST0131")

    def issues(self, res: Resource, crd: Resource | None) -> list[Issue]:
        """Every issue for one resource."""
        from meshctl.schemas.validate import validate_resource

        schema, versions = _crd_schema(crd, res.api_version.rpartition("/")[2])
        return validate_resource(res.body, self.kind, schema, versions)

    def analyze(self, ctx: Context) -> None:
        """Report IST0106/IST0133 with field paths, and IST0130/IST0131 for VirtualServices."""
        info = KINDS[self.kind]
        crd = ctx.resources.get(CRD, None, f"{info.plural}.{info.group}")
        for res in ctx.resources.of_kind(self.kind):
            for issue in self.issues(res, crd):
                params: dict[str, Any] = dict(issue.params)
                ctx.report(issue.code, res, path=issue.path, **params)


def _inputs(kind: str) -> tuple[str, ...]:
    return (kind, CRD)


@register
class VirtualServiceValidation(SchemaValidationAnalyzer):
    """Runs schema validation as an analyzer on 'VirtualService' resources."""

    name = "schema.ValidationAnalyzer.VirtualService"
    kind = "VirtualService"
    inputs = _inputs(kind)


@register
class DestinationRuleValidation(SchemaValidationAnalyzer):
    """Runs schema validation as an analyzer on 'DestinationRule' resources."""

    name = "schema.ValidationAnalyzer.DestinationRule"
    kind = "DestinationRule"
    inputs = _inputs(kind)


@register
class GatewayValidation(SchemaValidationAnalyzer):
    """Runs schema validation as an analyzer on 'Gateway' resources."""

    name = "schema.ValidationAnalyzer.Gateway"
    kind = "Gateway"
    inputs = _inputs(kind)


@register
class ServiceEntryValidation(SchemaValidationAnalyzer):
    """Runs schema validation as an analyzer on 'ServiceEntry' resources."""

    name = "schema.ValidationAnalyzer.ServiceEntry"
    kind = "ServiceEntry"
    inputs = _inputs(kind)


@register
class SidecarValidation(SchemaValidationAnalyzer):
    """Runs schema validation as an analyzer on 'Sidecar' resources."""

    name = "schema.ValidationAnalyzer.Sidecar"
    kind = "Sidecar"
    inputs = _inputs(kind)


@register
class EnvoyFilterValidation(SchemaValidationAnalyzer):
    """Runs schema validation as an analyzer on 'EnvoyFilter' resources."""

    name = "schema.ValidationAnalyzer.EnvoyFilter"
    kind = "EnvoyFilter"
    inputs = _inputs(kind)


@register
class WorkloadEntryValidation(SchemaValidationAnalyzer):
    """Runs schema validation as an analyzer on 'WorkloadEntry' resources."""

    name = "schema.ValidationAnalyzer.WorkloadEntry"
    kind = "WorkloadEntry"
    inputs = _inputs(kind)


@register
class WorkloadGroupValidation(SchemaValidationAnalyzer):
    """Runs schema validation as an analyzer on 'WorkloadGroup' resources."""

    name = "schema.ValidationAnalyzer.WorkloadGroup"
    kind = "WorkloadGroup"
    inputs = _inputs(kind)


@register
class ProxyConfigValidation(SchemaValidationAnalyzer):
    """Runs schema validation as an analyzer on 'ProxyConfig' resources."""

    name = "schema.ValidationAnalyzer.ProxyConfig"
    kind = "ProxyConfig"
    inputs = _inputs(kind)


@register
class PeerAuthenticationValidation(SchemaValidationAnalyzer):
    """Runs schema validation as an analyzer on 'PeerAuthentication' resources."""

    name = "schema.ValidationAnalyzer.PeerAuthentication"
    kind = "PeerAuthentication"
    inputs = _inputs(kind)


@register
class AuthorizationPolicyValidation(SchemaValidationAnalyzer):
    """Runs schema validation as an analyzer on 'AuthorizationPolicy' resources."""

    name = "schema.ValidationAnalyzer.AuthorizationPolicy"
    kind = "AuthorizationPolicy"
    inputs = _inputs(kind)


@register
class RequestAuthenticationValidation(SchemaValidationAnalyzer):
    """Runs schema validation as an analyzer on 'RequestAuthentication' resources."""

    name = "schema.ValidationAnalyzer.RequestAuthentication"
    kind = "RequestAuthentication"
    inputs = _inputs(kind)


@register
class TelemetryValidation(SchemaValidationAnalyzer):
    """Runs schema validation as an analyzer on 'Telemetry' resources."""

    name = "schema.ValidationAnalyzer.Telemetry"
    kind = "Telemetry"
    inputs = _inputs(kind)


@register
class WasmPluginValidation(SchemaValidationAnalyzer):
    """Runs schema validation as an analyzer on 'WasmPlugin' resources."""

    name = "schema.ValidationAnalyzer.WasmPlugin"
    kind = "WasmPlugin"
    inputs = _inputs(kind)
