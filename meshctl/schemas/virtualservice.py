"""VirtualService (networking.istio.io): HTTP, TLS and TCP routing rules."""

from __future__ import annotations

from meshctl.schemas.build import (
    BOOL,
    LABELS,
    PERCENT_INT,
    PORT,
    STR,
    STRS,
    UINT,
    Schema,
    arr,
    enum,
    map_of,
    obj,
    ref,
    with_oneofs,
)

_HTTP_MATCH: Schema = obj({
    "name": STR,
    "uri": ref("StringMatch"),
    "scheme": ref("StringMatch"),
    "method": ref("StringMatch"),
    "authority": ref("StringMatch"),
    "headers": map_of(ref("StringMatch")),
    "port": PORT,
    "sourceLabels": LABELS,
    "gateways": STRS,
    "queryParams": map_of(ref("StringMatch")),
    "ignoreUriCase": BOOL,
    "withoutHeaders": map_of(ref("StringMatch")),
    "sourceNamespace": STR,
    "statPrefix": STR,
})

_REDIRECT: Schema = with_oneofs(obj({
    "uri": STR,
    "authority": STR,
    "port": PORT,
    "derivePort": enum("FROM_PROTOCOL_DEFAULT", "FROM_REQUEST_PORT"),
    "scheme": STR,
    "redirectCode": {"type": "integer", "minimum": 0, "maximum": 599},
}), ("port", "derivePort"))

_FAULT: Schema = obj({
    "delay": with_oneofs(obj({
        "fixedDelay": ref("Duration"),
        "exponentialDelay": ref("Duration"),
        "percentage": ref("Percent"),
        "percent": PERCENT_INT,
    }), ("fixedDelay", "exponentialDelay")),
    "abort": with_oneofs(obj({
        "httpStatus": {"type": "integer", "minimum": 200, "maximum": 599},
        "grpcStatus": STR,
        "http2Error": STR,
        "percentage": ref("Percent"),
    }), ("httpStatus", "grpcStatus", "http2Error")),
})

_CORS: Schema = obj({
    "allowOrigin": STRS,
    "allowOrigins": arr(ref("StringMatch")),
    "allowMethods": STRS,
    "allowHeaders": STRS,
    "exposeHeaders": STRS,
    "maxAge": ref("Duration"),
    "allowCredentials": BOOL,
    "unmatchedPreflights": enum("UNSPECIFIED", "FORWARD", "IGNORE"),
})

_HTTP_ROUTE: Schema = obj({
    "name": STR,
    "match": arr(ref("HTTPMatchRequest")),
    "route": arr(obj({"destination": ref("Destination"), "weight": PERCENT_INT, "headers": ref("Headers")},
                     required=("destination",))),
    "redirect": ref("HTTPRedirect"),
    "directResponse": obj({
        "status": {"type": "integer", "minimum": 200, "maximum": 599},
        "body": with_oneofs(obj({"string": STR, "bytes": STR}), ("string", "bytes")),
    }, required=("status",)),
    "delegate": obj({"name": STR, "namespace": STR}),
    "rewrite": obj({"uri": STR, "authority": STR,
                    "uriRegexRewrite": obj({"match": STR, "rewrite": STR})}),
    "timeout": ref("Duration"),
    "retries": obj({"attempts": UINT, "perTryTimeout": ref("Duration"),
                    "retryOn": STR, "retryRemoteLocalities": BOOL, "backoff": ref("Duration")}),
    "fault": ref("HTTPFaultInjection"),
    "mirror": ref("Destination"),
    "mirrors": arr(obj({"destination": ref("Destination"), "percentage": ref("Percent")},
                       required=("destination",))),
    "mirrorPercent": PERCENT_INT,
    "mirrorPercentage": ref("Percent"),
    "corsPolicy": ref("CorsPolicy"),
    "headers": ref("Headers"),
})

_ROUTE_DESTINATIONS: Schema = arr(obj({"destination": ref("Destination"), "weight": PERCENT_INT},
                                      required=("destination",)))

_TLS_ROUTE: Schema = obj({
    "match": arr(obj({
        "sniHosts": STRS,
        "destinationSubnets": STRS,
        "port": PORT,
        "sourceLabels": LABELS,
        "gateways": STRS,
        "sourceNamespace": STR,
    })),
    "route": _ROUTE_DESTINATIONS,
})

_TCP_ROUTE: Schema = obj({
    "match": arr(obj({
        "destinationSubnets": STRS,
        "port": PORT,
        "sourceSubnet": STR,
        "sourceLabels": LABELS,
        "gateways": STRS,
        "sourceNamespace": STR,
    })),
    "route": _ROUTE_DESTINATIONS,
})

DEFS: dict[str, Schema] = {
    "HTTPMatchRequest": _HTTP_MATCH,
    "HTTPRedirect": _REDIRECT,
    "HTTPFaultInjection": _FAULT,
    "CorsPolicy": _CORS,
    "HTTPRoute": _HTTP_ROUTE,
    "TLSRoute": _TLS_ROUTE,
    "TCPRoute": _TCP_ROUTE,
}

SPECS: dict[str, Schema] = {
    "VirtualService": obj({
        "hosts": STRS,
        "gateways": STRS,
        "http": arr(ref("HTTPRoute")),
        "tls": arr(ref("TLSRoute")),
        "tcp": arr(ref("TCPRoute")),
        "exportTo": STRS,
    }),
}

