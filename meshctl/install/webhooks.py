"""The sidecar injector MutatingWebhookConfiguration and the config ValidatingWebhookConfiguration."""

from __future__ import annotations

from typing import Any

from meshctl.install.config import InstallConfig
from meshctl.install.meta import Obj, new

ADMISSION = "admissionregistration.k8s.io/v1"
INJECTION = "istio-injection"
REV = "istio.io/rev"
INJECT = "sidecar.istio.io/inject"


def _expr(key: str, operator: str, values: list[str] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"key": key, "operator": operator}
    if values is not None:
        out["values"] = values
    return out


def _client_config(cfg: InstallConfig, path: str) -> dict[str, Any]:
    url = cfg.value("istiodRemote", "injectionURL") if path == "/inject" else None
    if url:
        return {"url": str(url)}
    return {"service": {"name": cfg.suffixed("istiod"), "namespace": cfg.namespace, "path": path, "port": 443}}


def _inject_hook(cfg: InstallConfig, name: str, ns_exprs: list[dict[str, Any]],
                 obj_exprs: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "name": name,
        "admissionReviewVersions": ["v1"],
        "clientConfig": _client_config(cfg, "/inject"),
        # Ignore: the injector ConfigMap does not ship Istio's injection templates yet, so a pod
        # istiod cannot inject must still be created (without a sidecar) rather than refused.
        "failurePolicy": "Ignore",
        "matchPolicy": "Equivalent",
        "reinvocationPolicy": "Never",
        "sideEffects": "None",
        "timeoutSeconds": 10,
        "rules": [{"apiGroups": [""], "apiVersions": ["v1"], "operations": ["CREATE"], "resources": ["pods"],
                   "scope": "*"}],
        "namespaceSelector": {"matchExpressions": ns_exprs},
        "objectSelector": {"matchExpressions": obj_exprs},
    }


def _inject_hooks(cfg: InstallConfig) -> list[dict[str, Any]]:
    """Istio's selector scheme: ``istio-injection=enabled`` for the default revision, ``istio.io/rev``."""
    not_false = _expr(INJECT, "NotIn", ["false"])
    if cfg.revision:
        rev = [cfg.revision]
        return [
            _inject_hook(cfg, "rev.namespace.sidecar-injector.istio.io",
                         [_expr(REV, "In", rev), _expr(INJECTION, "DoesNotExist")], [not_false]),
            _inject_hook(cfg, "rev.object.sidecar-injector.istio.io",
                         [_expr(REV, "DoesNotExist"), _expr(INJECTION, "DoesNotExist")],
                         [not_false, _expr(REV, "In", rev)]),
        ]
    return [
        _inject_hook(cfg, "namespace.sidecar-injector.istio.io",
                     [_expr(INJECTION, "In", ["enabled"])], [not_false]),
        _inject_hook(cfg, "object.sidecar-injector.istio.io",
                     [_expr(INJECTION, "DoesNotExist"), _expr(REV, "DoesNotExist")],
                     [_expr(INJECT, "In", ["true"]), _expr(REV, "DoesNotExist")]),
        _inject_hook(cfg, "rev.namespace.sidecar-injector.istio.io",
                     [_expr(REV, "In", ["default"]), _expr(INJECTION, "DoesNotExist")], [not_false]),
    ]


def mutating(cfg: InstallConfig) -> Obj:
    """The ``istio-sidecar-injector`` (``-<rev>``) MutatingWebhookConfiguration."""
    obj = new(ADMISSION, "MutatingWebhookConfiguration", cfg.suffixed("istio-sidecar-injector"), cfg, "pilot",
              namespaced=False)
    obj["webhooks"] = _inject_hooks(cfg)
    return obj


def validator_name(cfg: InstallConfig) -> str:
    """``istio-validator[-rev]-<namespace>``, as Istio names it."""
    return f"{cfg.suffixed('istio-validator')}-{cfg.namespace}"


def validating(cfg: InstallConfig) -> Obj:
    """The ValidatingWebhookConfiguration for Istio config of this revision."""
    obj = new(ADMISSION, "ValidatingWebhookConfiguration", validator_name(cfg), cfg, "pilot", namespaced=False)
    groups = ["security.istio.io", "networking.istio.io", "telemetry.istio.io", "extensions.istio.io"]
    rev_selector = ([_expr(REV, "In", [cfg.revision])] if cfg.revision
                    else [_expr(REV, "DoesNotExist")])
    obj["webhooks"] = [{
        "name": "rev.validation.istio.io",
        "admissionReviewVersions": ["v1"],
        "clientConfig": _client_config(cfg, "/validate"),
        # Fail from the start: istiod never has to flip it, so re-applying changes nothing.
        "failurePolicy": "Fail",
        "matchPolicy": "Equivalent",
        "sideEffects": "None",
        "timeoutSeconds": 10,
        "objectSelector": {"matchExpressions": rev_selector},
        "rules": [{"apiGroups": groups, "apiVersions": ["*"], "operations": ["CREATE", "UPDATE"],
                   "resources": ["*"], "scope": "*"}],
    }]
    return obj


def build(cfg: InstallConfig) -> list[Obj]:
    """Both webhook configurations (validation only with a local istiod and configValidation)."""
    if not cfg.control_plane:
        return []
    out = [mutating(cfg)]
    if cfg.enabled("pilot") and cfg.value("global", "configValidation") is not False:
        out.append(validating(cfg))
    return out
