"""Definitions shared by several Istio kinds (written once, referenced by name)."""

from __future__ import annotations

from meshctl.schemas.build import (
    BOOL,
    INT,
    LABELS,
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

DURATION_PATTERN = r"^([0-9]+(\.[0-9]*)?(ns|us|µs|ms|s|m|h))+$"

_CONNECTION_POOL: Schema = obj({
    "tcp": obj({
        "maxConnections": INT,
        "connectTimeout": ref("Duration"),
        "tcpKeepalive": obj({"probes": UINT, "time": ref("Duration"), "interval": ref("Duration")}),
        "maxConnectionDuration": ref("Duration"),
        "idleTimeout": ref("Duration"),
    }),
    "http": obj({
        "http1MaxPendingRequests": INT,
        "http2MaxRequests": INT,
        "maxRequestsPerConnection": INT,
        "maxRetries": INT,
        "idleTimeout": ref("Duration"),
        "h2UpgradePolicy": enum("DEFAULT", "DO_NOT_UPGRADE", "UPGRADE"),
        "useClientProtocol": BOOL,
        "maxConcurrentStreams": INT,
    }),
})

_SERVER_TLS: Schema = obj({
    "httpsRedirect": BOOL,
    "mode": enum("PASSTHROUGH", "SIMPLE", "MUTUAL", "AUTO_PASSTHROUGH", "ISTIO_MUTUAL", "OPTIONAL_MUTUAL"),
    "serverCertificate": STR,
    "privateKey": STR,
    "caCertificates": STR,
    "caCrl": STR,
    "credentialName": STR,
    "credentialNames": STRS,
    "tlsCertificates": arr(obj({"serverCertificate": STR, "privateKey": STR, "caCertificates": STR})),
    "subjectAltNames": STRS,
    "verifyCertificateSpki": STRS,
    "verifyCertificateHash": STRS,
    "minProtocolVersion": ref("TLSProtocol"),
    "maxProtocolVersion": ref("TLSProtocol"),
    "cipherSuites": STRS,
})

_WORKLOAD_ENTRY: Schema = obj({
    "address": STR,
    "ports": map_of(PORT),
    "labels": LABELS,
    "network": STR,
    "locality": STR,
    "weight": UINT,
    "serviceAccount": STR,
})

DEFS: dict[str, Schema] = {
    "Duration": {"type": "string", "pattern": DURATION_PATTERN},
    "StringMatch": with_oneofs(obj({"exact": STR, "prefix": STR, "regex": STR}),
                               ("exact", "prefix", "regex")),
    "Percent": obj({"value": PERCENT_NUM}),
    "PortSelector": obj({"number": PORT}),
    "WorkloadSelector": obj({"matchLabels": LABELS}),
    "NetworkingWorkloadSelector": obj({"labels": LABELS}),
    "PolicyTargetReference": obj({"group": STR, "kind": STR, "name": STR, "namespace": STR},
                                 required=("kind", "name")),
    "Destination": obj({"host": {"type": "string", "minLength": 1}, "subset": STR,
                        "port": ref("PortSelector")}, required=("host",)),
    "HeaderOperations": obj({"set": LABELS, "add": LABELS, "remove": STRS}),
    "Headers": obj({"request": ref("HeaderOperations"), "response": ref("HeaderOperations")}),
    "ConnectionPoolSettings": _CONNECTION_POOL,
    "ServerTLSSettings": _SERVER_TLS,
    "TLSProtocol": enum("TLS_AUTO", "TLSV1_0", "TLSV1_1", "TLSV1_2", "TLSV1_3"),
    "WorkloadEntrySpec": _WORKLOAD_ENTRY,
    "WorkloadMode": enum("CLIENT_AND_SERVER", "CLIENT", "SERVER"),
}

#: The selector/targetRef trio shared by policy kinds (security, telemetry, extensions).
POLICY_TARGETS: dict[str, Schema] = {
    "selector": ref("WorkloadSelector"),
    "targetRef": ref("PolicyTargetReference"),
    "targetRefs": arr(ref("PolicyTargetReference")),
}
