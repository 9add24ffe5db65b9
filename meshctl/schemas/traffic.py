"""DestinationRule and Sidecar (networking.istio.io): traffic policies for destinations and proxies."""

from __future__ import annotations

from meshctl.schemas.build import (
    BOOL,
    INT,
    LABELS,
    PERCENT_INT,
    PERCENT_NUM,
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

_CONSISTENT_HASH: Schema = with_oneofs(obj({
    "httpHeaderName": STR,
    "httpCookie": obj({"name": STR, "path": STR, "ttl": ref("Duration"),
                       "attributes": arr(obj({"name": STR, "value": STR}))}, required=("name",)),
    "useSourceIp": BOOL,
    "httpQueryParameterName": STR,
    "ringHash": obj({"minimumRingSize": UINT}),
    "maglev": obj({"tableSize": UINT}),
    "minimumRingSize": UINT,
}), ("httpHeaderName", "httpCookie", "useSourceIp", "httpQueryParameterName"))

_LOCALITY_LB: Schema = obj({
    "distribute": arr(obj({"from": STR, "to": map_of(UINT)})),
    "failover": arr(obj({"from": STR, "to": STR})),
    "failoverPriority": STRS,
    "enabled": BOOL,
})

_LOAD_BALANCER: Schema = with_oneofs(obj({
    "simple": enum("UNSPECIFIED", "LEAST_CONN", "RANDOM", "PASSTHROUGH", "ROUND_ROBIN", "LEAST_REQUEST"),
    "consistentHash": ref("ConsistentHashLB"),
    "localityLbSetting": ref("LocalityLoadBalancerSetting"),
    "warmupDurationSecs": ref("Duration"),
    "warmup": obj({"duration": ref("Duration"), "minimumPercent": PERCENT_NUM,
                   "aggression": {"type": "number", "minimum": 1}}),
}), ("simple", "consistentHash"))

_OUTLIER: Schema = obj({
    "consecutiveErrors": INT,
    "splitExternalLocalOriginErrors": BOOL,
    "consecutiveLocalOriginFailures": UINT,
    "consecutiveGatewayErrors": UINT,
    "consecutive5xxErrors": UINT,
    "interval": ref("Duration"),
    "baseEjectionTime": ref("Duration"),
    "maxEjectionPercent": PERCENT_INT,
    "minHealthPercent": PERCENT_INT,
})

_CLIENT_TLS: Schema = obj({
    "mode": enum("DISABLE", "SIMPLE", "MUTUAL", "ISTIO_MUTUAL"),
    "clientCertificate": STR,
    "privateKey": STR,
    "caCertificates": STR,
    "credentialName": STR,
    "subjectAltNames": STRS,
    "sni": STR,
    "insecureSkipVerify": BOOL,
    "caCrl": STR,
})

_POLICY_PARTS: dict[str, Schema] = {
    "loadBalancer": ref("LoadBalancerSettings"),
    "connectionPool": ref("ConnectionPoolSettings"),
    "outlierDetection": ref("OutlierDetection"),
    "tls": ref("ClientTLSSettings"),
}

_TRAFFIC_POLICY: Schema = obj({
    **_POLICY_PARTS,
    "portLevelSettings": arr(obj({"port": ref("PortSelector"), **_POLICY_PARTS})),
    "tunnel": obj({"protocol": STR, "targetHost": STR, "targetPort": PORT},
                  required=("targetHost", "targetPort")),
    "proxyProtocol": obj({"version": enum("V1", "V2")}),
})

_SIDECAR_PORT: Schema = obj({"number": PORT, "protocol": STR, "name": STR, "targetPort": PORT})
_CAPTURE_MODE: Schema = enum("DEFAULT", "IPTABLES", "NONE")

DEFS: dict[str, Schema] = {
    "ConsistentHashLB": _CONSISTENT_HASH,
    "LocalityLoadBalancerSetting": _LOCALITY_LB,
    "LoadBalancerSettings": _LOAD_BALANCER,
    "OutlierDetection": _OUTLIER,
    "ClientTLSSettings": _CLIENT_TLS,
    "TrafficPolicy": _TRAFFIC_POLICY,
}

SPECS: dict[str, Schema] = {
    "DestinationRule": obj({
        "host": STR,
        "trafficPolicy": ref("TrafficPolicy"),
        "subsets": arr(obj({"name": STR, "labels": LABELS, "trafficPolicy": ref("TrafficPolicy")},
                           required=("name",))),
        "exportTo": STRS,
        "workloadSelector": ref("WorkloadSelector"),
    }),
    "Sidecar": obj({
        "workloadSelector": ref("NetworkingWorkloadSelector"),
        "ingress": arr(obj({
            "port": _SIDECAR_PORT,
            "bind": STR,
            "captureMode": _CAPTURE_MODE,
            "defaultEndpoint": STR,
            "tls": ref("ServerTLSSettings"),
            "connectionPool": ref("ConnectionPoolSettings"),
        })),
        "egress": arr(obj({"port": _SIDECAR_PORT, "bind": STR, "captureMode": _CAPTURE_MODE,
                           "hosts": STRS})),
        "inboundConnectionPool": ref("ConnectionPoolSettings"),
        "outboundTrafficPolicy": obj({"mode": enum("REGISTRY_ONLY", "ALLOW_ANY"),
                                      "egressProxy": ref("Destination")}),
    }),
}
