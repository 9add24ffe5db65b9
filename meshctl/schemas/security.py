"""PeerAuthentication, AuthorizationPolicy and RequestAuthentication (security.istio.io)."""

from __future__ import annotations

from meshctl.schemas.build import BOOL, STR, STRS, Schema, arr, enum, map_of, obj, ref
from meshctl.schemas.common import POLICY_TARGETS

_MTLS: Schema = obj({"mode": enum("UNSET", "DISABLE", "PERMISSIVE", "STRICT")})

_SOURCE_FIELDS = ("principals", "requestPrincipals", "namespaces", "ipBlocks", "remoteIpBlocks",
                  "serviceAccounts")
_OPERATION_FIELDS = ("hosts", "ports", "methods", "paths")


def _positive_and_negative(fields: tuple[str, ...]) -> dict[str, Schema]:
    """``field`` and ``notField`` string lists for each field name."""
    out: dict[str, Schema] = {}
    for name in fields:
        out[name] = STRS
        out["not" + name[0].upper() + name[1:]] = STRS
    return out


_RULE: Schema = obj({
    "from": arr(obj({"source": obj(_positive_and_negative(_SOURCE_FIELDS))})),
    "to": arr(obj({"operation": obj(_positive_and_negative(_OPERATION_FIELDS))})),
    "when": arr(obj({"key": STR, "values": STRS, "notValues": STRS}, required=("key",))),
})

_JWT_RULE: Schema = obj({
    "issuer": STR,
    "audiences": STRS,
    "jwksUri": STR,
    "jwks": STR,
    "fromHeaders": arr(obj({"name": STR, "prefix": STR}, required=("name",))),
    "fromParams": STRS,
    "outputPayloadToHeader": STR,
    "fromCookies": STRS,
    "forwardOriginalToken": BOOL,
    "outputClaimToHeaders": arr(obj({"header": STR, "claim": STR})),
    "timeout": ref("Duration"),
}, required=("issuer",))

DEFS: dict[str, Schema] = {"AuthorizationRule": _RULE, "JWTRule": _JWT_RULE}

SPECS: dict[str, Schema] = {
    "PeerAuthentication": obj({
        "selector": ref("WorkloadSelector"),
        "mtls": _MTLS,
        "portLevelMtls": map_of(_MTLS),
    }),
    "AuthorizationPolicy": obj({
        **POLICY_TARGETS,
        "rules": arr(ref("AuthorizationRule")),
        "action": enum("ALLOW", "DENY", "AUDIT", "CUSTOM"),
        "provider": obj({"name": STR}),
    }),
    "RequestAuthentication": obj({**POLICY_TARGETS, "jwtRules": arr(ref("JWTRule"))}),
}
