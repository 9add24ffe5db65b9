"""Gateway, ServiceEntry, WorkloadEntry and WorkloadGroup (networking.istio.io)."""

from __future__ import annotations

from meshctl.schemas.build import LABELS, PORT, STR, STRS, UINT, Schema, arr, enum, obj, ref, with_oneofs

_PORT_NUMBER: Schema = {"type": "integer", "minimum": 1, "maximum": 65535}

_SERVER: Schema = obj({
    "port": obj({"number": _PORT_NUMBER, "protocol": STR, "name": STR, "targetPort": PORT}),
    "bind": STR,
    "hosts": STRS,
    "tls": ref("ServerTLSSettings"),
    "defaultEndpoint": STR,
    "name": STR,
})

_HTTP_HEADER: Schema = obj({"name": STR, "value": STR})

_PROBE: Schema = with_oneofs(obj({
    "initialDelaySeconds": UINT,
    "timeoutSeconds": UINT,
    "periodSeconds": UINT,
    "successThreshold": UINT,
    "failureThreshold": UINT,
    "httpGet": obj({"path": STR, "port": _PORT_NUMBER, "host": STR, "scheme": STR,
                    "httpHeaders": arr(_HTTP_HEADER)}, required=("port",)),
    "tcpSocket": obj({"host": STR, "port": _PORT_NUMBER}, required=("port",)),
    "exec": obj({"command": STRS}),
    "grpc": obj({"port": _PORT_NUMBER, "service": STR}),
}), ("httpGet", "tcpSocket", "exec", "grpc"))

DEFS: dict[str, Schema] = {"Server": _SERVER, "ReadinessProbe": _PROBE}

SPECS: dict[str, Schema] = {
    "Gateway": obj({"servers": arr(ref("Server")), "selector": LABELS}),
    "ServiceEntry": obj({
        "hosts": STRS,
        "addresses": STRS,
        "ports": arr(obj({"number": _PORT_NUMBER, "protocol": STR, "name": STR, "targetPort": PORT},
                         required=("number",))),
        "location": enum("MESH_EXTERNAL", "MESH_INTERNAL"),
        "resolution": enum("NONE", "STATIC", "DNS", "DNS_ROUND_ROBIN"),
        "endpoints": arr(ref("WorkloadEntrySpec")),
        "workloadSelector": ref("NetworkingWorkloadSelector"),
        "exportTo": STRS,
        "subjectAltNames": STRS,
    }),
    "WorkloadEntry": ref("WorkloadEntrySpec"),
    "WorkloadGroup": obj({
        "metadata": obj({"labels": LABELS, "annotations": LABELS}),
        "template": ref("WorkloadEntrySpec"),
        "probe": ref("ReadinessProbe"),
    }, required=("template",)),
}
