"""EnvoyFilter and ProxyConfig (networking.istio.io): direct proxy configuration."""

from __future__ import annotations

from meshctl.schemas.build import INT, LABELS, PORT, STR, STRUCT, UINT, Schema, arr, enum, obj, ref, with_oneofs

_APPLY_TO = enum("INVALID", "LISTENER", "FILTER_CHAIN", "NETWORK_FILTER", "HTTP_FILTER",
                 "ROUTE_CONFIGURATION", "VIRTUAL_HOST", "HTTP_ROUTE", "CLUSTER", "EXTENSION_CONFIG",
                 "BOOTSTRAP", "LISTENER_FILTER")

_LISTENER_MATCH: Schema = obj({
    "portNumber": PORT,
    "portName": STR,
    "filterChain": obj({
        "name": STR,
        "sni": STR,
        "transportProtocol": STR,
        "applicationProtocols": STR,
        "filter": obj({"name": STR, "subFilter": obj({"name": STR})}),
        "destinationPort": PORT,
    }),
    "listenerFilter": STR,
    "name": STR,
})

_ROUTE_CONFIG_MATCH: Schema = obj({
    "portNumber": PORT,
    "portName": STR,
    "gateway": STR,
    "vhost": obj({
        "name": STR,
        "domainName": STR,
        "route": obj({"name": STR, "action": enum("ANY", "ROUTE", "REDIRECT", "DIRECT_RESPONSE")}),
    }),
    "name": STR,
})

_OBJECT_MATCH: Schema = with_oneofs(obj({
    "context": enum("ANY", "SIDECAR_INBOUND", "SIDECAR_OUTBOUND", "GATEWAY"),
    "proxy": obj({"proxyVersion": STR, "metadata": LABELS}),
    "listener": _LISTENER_MATCH,
    "routeConfiguration": _ROUTE_CONFIG_MATCH,
    "cluster": obj({"portNumber": PORT, "service": STR, "subset": STR, "name": STR}),
}), ("listener", "routeConfiguration", "cluster"))

_PATCH: Schema = obj({
    "operation": enum("INVALID", "MERGE", "ADD", "REMOVE", "INSERT_BEFORE", "INSERT_AFTER",
                      "INSERT_FIRST", "REPLACE"),
    "value": STRUCT,
    "filterClass": enum("UNSPECIFIED", "AUTHN", "AUTHZ", "STATS"),
})

DEFS: dict[str, Schema] = {"EnvoyConfigObjectMatch": _OBJECT_MATCH, "EnvoyPatch": _PATCH}

SPECS: dict[str, Schema] = {
    "EnvoyFilter": obj({
        "workloadSelector": ref("NetworkingWorkloadSelector"),
        "targetRefs": arr(ref("PolicyTargetReference")),
        "configPatches": arr(obj({"applyTo": _APPLY_TO, "match": ref("EnvoyConfigObjectMatch"),
                                  "patch": ref("EnvoyPatch")})),
        "priority": INT,
    }),
    "ProxyConfig": obj({
        "selector": ref("WorkloadSelector"),
        "concurrency": UINT,
        "environmentVariables": LABELS,
        "image": obj({"imageType": STR}),
    }),
}

