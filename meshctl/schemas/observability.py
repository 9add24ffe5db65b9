"""Telemetry (telemetry.istio.io) and WasmPlugin (extensions.istio.io)."""

from __future__ import annotations

from meshctl.schemas.build import BOOL, INT, PERCENT_NUM, STR, STRUCT, Schema, arr, enum, map_of, obj, ref, with_oneofs
from meshctl.schemas.common import POLICY_TARGETS

_PROVIDERS: Schema = arr(obj({"name": STR}, required=("name",)))
_MODE_MATCH: Schema = obj({"mode": ref("WorkloadMode")})

_METRIC = enum("ALL_METRICS", "REQUEST_COUNT", "REQUEST_DURATION", "REQUEST_SIZE", "RESPONSE_SIZE",
               "TCP_OPENED_CONNECTIONS", "TCP_CLOSED_CONNECTIONS", "TCP_SENT_BYTES", "TCP_RECEIVED_BYTES",
               "GRPC_REQUEST_MESSAGES", "GRPC_RESPONSE_MESSAGES")

_CUSTOM_TAG: Schema = with_oneofs(obj({
    "literal": obj({"value": STR}),
    "environment": obj({"name": STR, "defaultValue": STR}, required=("name",)),
    "header": obj({"name": STR, "defaultValue": STR}, required=("name",)),
}), ("literal", "environment", "header"))

_TRACING: Schema = obj({
    "match": _MODE_MATCH,
    "providers": _PROVIDERS,
    "randomSamplingPercentage": PERCENT_NUM,
    "disableSpanReporting": BOOL,
    "customTags": map_of(_CUSTOM_TAG),
    "useRequestIdForTraceSampling": BOOL,
    "enableIstioTags": BOOL,
})

_METRICS: Schema = obj({
    "providers": _PROVIDERS,
    "overrides": arr(obj({
        "match": with_oneofs(obj({"metric": _METRIC, "customMetric": STR, "mode": ref("WorkloadMode")}),
                             ("metric", "customMetric")),
        "disabled": BOOL,
        "tagOverrides": map_of(obj({"operation": enum("UPSERT", "REMOVE"), "value": STR})),
    })),
    "reportingInterval": ref("Duration"),
})

_ACCESS_LOGGING: Schema = obj({
    "match": _MODE_MATCH,
    "providers": _PROVIDERS,
    "disabled": BOOL,
    "filter": obj({"expression": STR}),
})

_WASM_MATCH: Schema = obj({
    "mode": enum("UNDEFINED", "CLIENT", "SERVER", "CLIENT_AND_SERVER"),
    "ports": arr(ref("PortSelector")),
})

DEFS: dict[str, Schema] = {"Tracing": _TRACING, "Metrics": _METRICS, "AccessLogging": _ACCESS_LOGGING}

SPECS: dict[str, Schema] = {
    "Telemetry": obj({
        **POLICY_TARGETS,
        "tracing": arr(ref("Tracing")),
        "metrics": arr(ref("Metrics")),
        "accessLogging": arr(ref("AccessLogging")),
    }),
    "WasmPlugin": obj({
        **POLICY_TARGETS,
        "url": {"type": "string", "minLength": 1},
        "sha256": {"type": "string", "pattern": "^(|[a-fA-F0-9]{64})$"},
        "imagePullPolicy": enum("UNSPECIFIED_POLICY", "IfNotPresent", "Always"),
        "imagePullSecret": STR,
        "verificationKey": STR,
        "pluginConfig": STRUCT,
        "pluginName": STR,
        "phase": enum("UNSPECIFIED_PHASE", "AUTHN", "AUTHZ", "STATS"),
        "priority": INT,
        "failStrategy": enum("FAIL_CLOSE", "FAIL_OPEN"),
        "vmConfig": obj({"env": arr(obj({"name": STR, "value": STR,
                                         "valueFrom": enum("INLINE", "HOST")}, required=("name",)))}),
        "match": arr(_WASM_MATCH),
        "type": enum("UNSPECIFIED_PLUGIN_TYPE", "HTTP", "NETWORK"),
    }, required=("url",)),
}
