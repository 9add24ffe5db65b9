"""The JSON schema of meshctl's IstioOperator-like install configuration.

Every object is closed (``additionalProperties: false``) so that a typo in an overlay or a
``--set`` path is an error naming the path, not a silently ignored setting. Maps whose keys
are the user's (env, proxyMetadata, labels) are open but typed.
"""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]

STR: Schema = {"type": "string"}
BOOL: Schema = {"type": "boolean"}
INT: Schema = {"type": "integer"}
NUM: Schema = {"type": "number"}
STR_MAP: Schema = {"type": "object", "additionalProperties": {"type": "string"}}
QUANTITY: Schema = {"type": ["string", "integer", "number"]}
ANY_OBJ: Schema = {"type": "object"}


def closed(**props: Schema) -> Schema:
    """An object schema that rejects keys it does not name."""
    return {"type": "object", "properties": props, "additionalProperties": False}


RESOURCES = closed(requests=closed(cpu=QUANTITY, memory=QUANTITY),
                   limits=closed(cpu=QUANTITY, memory=QUANTITY))
SERVICE_PORT = closed(name=STR, port=INT, targetPort=INT, protocol={"enum": ["TCP", "UDP", "SCTP"]},
                      nodePort=INT)
K8S = closed(
    replicaCount=INT,
    resources=RESOURCES,
    env={"type": "array", "items": closed(name=STR, value=STR)},
    nodeSelector=STR_MAP,
    tolerations={"type": "array", "items": ANY_OBJ},
    podAnnotations=STR_MAP,
    hpaSpec=closed(minReplicas={"type": "integer", "minimum": 1}, maxReplicas={"type": "integer", "minimum": 1}),
    service=closed(type={"enum": ["ClusterIP", "NodePort", "LoadBalancer"]},
                   ports={"type": "array", "items": SERVICE_PORT}),
)
COMPONENT = closed(enabled=BOOL, namespace=STR, k8s=K8S)
GATEWAY = {**closed(name={"type": "string", "pattern": "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"},
                    enabled=BOOL, namespace=STR, label=STR_MAP, k8s=K8S), "required": ["name"]}

DEFAULT_CONFIG = closed(
    discoveryAddress=STR,
    proxyMetadata=STR_MAP,
    holdApplicationUntilProxyStarts=BOOL,
    concurrency=INT,
    terminationDrainDuration=STR,
    drainDuration=STR,
    meshId=STR,
    tracing=ANY_OBJ,
    proxyStatsMatcher=ANY_OBJ,
    image=ANY_OBJ,
)
MESH_CONFIG = closed(
    accessLogFile=STR,
    accessLogEncoding={"enum": ["TEXT", "JSON"]},
    accessLogFormat=STR,
    enableTracing=BOOL,
    enablePrometheusMerge=BOOL,
    enableAutoMtls=BOOL,
    rootNamespace=STR,
    trustDomain=STR,
    trustDomainAliases={"type": "array", "items": STR},
    ingressClass=STR,
    ingressService=STR,
    ingressControllerMode={"enum": ["UNSPECIFIED", "OFF", "DEFAULT", "STRICT"]},
    ingressSelector=STR,
    connectTimeout=STR,
    protocolDetectionTimeout=STR,
    outboundTrafficPolicy=closed(mode={"enum": ["REGISTRY_ONLY", "ALLOW_ANY"]}),
    defaultConfig=DEFAULT_CONFIG,
    defaultProviders=ANY_OBJ,
    extensionProviders={"type": "array", "items": ANY_OBJ},
    discoverySelectors={"type": "array", "items": ANY_OBJ},
    localityLbSetting=ANY_OBJ,
    meshMTLS=ANY_OBJ,
    tlsDefaults=ANY_OBJ,
    caCertificates={"type": "array", "items": ANY_OBJ},
    defaultServiceExportTo={"type": "array", "items": STR},
    defaultVirtualServiceExportTo={"type": "array", "items": STR},
    defaultDestinationRuleExportTo={"type": "array", "items": STR},
)

VALUES = closed(
    profile=STR,
    defaultRevision=STR,
    global_=closed(),  # placeholder, replaced below (``global`` is a Python keyword)
    pilot=closed(image=STR, autoscaleEnabled=BOOL, autoscaleMin=INT, autoscaleMax=INT, replicaCount=INT,
                 cpuTargetUtilization={"type": "integer", "minimum": 1, "maximum": 100},
                 traceSampling={"type": "number", "minimum": 0, "maximum": 100},
                 env={"type": "object", "additionalProperties": {"type": ["string", "number", "boolean"]}}),
    sidecarInjectorWebhook=closed(enableNamespacesByDefault=BOOL, rewriteAppHTTPProbe=BOOL,
                                  neverInjectSelector={"type": "array", "items": ANY_OBJ},
                                  alwaysInjectSelector={"type": "array", "items": ANY_OBJ}),
    gateways=closed(resources=RESOURCES),
    cni=closed(image=STR, cniBinDir=STR, cniConfDir=STR, logLevel=STR, ambient=BOOL),
    ztunnel=closed(image=STR, logLevel=STR),
    istiodRemote=closed(enabled=BOOL, injectionURL=STR),
)
VALUES["properties"]["global"] = closed(
    hub=STR,
    tag=STR,
    istioNamespace=STR,
    imagePullPolicy={"enum": ["Always", "IfNotPresent", "Never"]},
    imagePullSecrets={"type": "array", "items": STR},
    logAsJson=BOOL,
    configValidation=BOOL,
    meshID=STR,
    network=STR,
    multiCluster=closed(clusterName=STR),
    proxy=closed(image=STR, logLevel={"enum": ["trace", "debug", "info", "warning", "error", "critical", "off"]},
                 resources=RESOURCES, holdApplicationUntilProxyStarts=BOOL),
)
del VALUES["properties"]["global_"]

SPEC = closed(
    profile=STR,
    hub=STR,
    tag=STR,
    revision={"type": "string", "pattern": "^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$", "maxLength": 50},
    namespace=STR,
    meshConfig=MESH_CONFIG,
    components=closed(base=COMPONENT, pilot=COMPONENT, cni=COMPONENT, ztunnel=COMPONENT,
                      ingressGateways={"type": "array", "items": GATEWAY},
                      egressGateways={"type": "array", "items": GATEWAY}),
    values=VALUES,
)

OPERATOR: Schema = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    **closed(
        apiVersion={"const": "install.istio.io/v1alpha1"},
        kind={"const": "IstioOperator"},
        metadata=closed(name=STR, namespace=STR, labels=STR_MAP, annotations=STR_MAP),
        spec=SPEC,
    ),
}
