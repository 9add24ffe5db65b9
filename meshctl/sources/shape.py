"""The shape every Kubernetes object read from a file must have before anything looks inside it.

YAML that parses can still have the wrong shape (``metadata: 5``, ``labels: x``,
``spec.template: 5``); the API server would reject such an object, and meshctl
rejects it too, with one sentence naming the file, line and field, instead of
failing later in whatever code first touches it. Scalar label and annotation
values (``version: 2``) are converted to strings the way they are written.
"""

from __future__ import annotations

from typing import Any

from meshctl.errors import InputError

_NAME_FIELDS = ("name", "namespace", "generateName")
_STRING_MAPS = ("labels", "annotations")
_WEBHOOK_KINDS = ("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration")

# kind -> path to the pod template inside the object (as meshctl.inject.engine.TEMPLATE_PATHS)
POD_TEMPLATE_PATHS: dict[str, tuple[str, ...]] = {
    "Pod": (),
    "Deployment": ("spec", "template"),
    "StatefulSet": ("spec", "template"),
    "DaemonSet": ("spec", "template"),
    "ReplicaSet": ("spec", "template"),
    "ReplicationController": ("spec", "template"),
    "Job": ("spec", "template"),
    "CronJob": ("spec", "jobTemplate", "spec", "template"),
}


def _type(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__}"


def _scalar_text(value: Any) -> str | None:
    """A scalar as YAML wrote it (``true``, ``2``, ``""`` for null); None for lists and mappings."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    return None


def _bad(where: str, field: str, want: str, value: Any) -> InputError:
    return InputError(f"{where}: {field} must be {want}, not {_type(value)}")


def _mapping(obj: dict[str, Any], key: str, where: str, field: str) -> dict[str, Any] | None:
    """``obj[key]`` when it is a mapping, None when absent or null; InputError otherwise."""
    value = obj.get(key)
    if value is None or isinstance(value, dict):
        return value
    raise _bad(where, field, "a mapping", value)


def check_metadata(obj: dict[str, Any], where: str, prefix: str = "") -> None:
    """``metadata`` is a mapping with string names and string-to-string labels/annotations."""
    meta = _mapping(obj, "metadata", where, f"{prefix}metadata")
    if meta is None:
        return
    for key in _NAME_FIELDS:
        value = meta.get(key)
        # bool: YAML 1.1 reads ``name: off`` as false; such an object is kept (nameless), as before
        if value is not None and not isinstance(value, (str, bool)):
            raise _bad(where, f"{prefix}metadata.{key}", "a string", value)
    for key in _STRING_MAPS:
        value = meta.get(key)
        if value is None:
            continue
        if not isinstance(value, dict):
            raise _bad(where, f"{prefix}metadata.{key}", "a mapping", value)
        if all(type(k) is str and type(v) is str for k, v in value.items()):
            continue
        clean: dict[str, str] = {}
        for k, v in value.items():
            ktext, vtext = _scalar_text(k), _scalar_text(v)
            if ktext is None:
                raise _bad(where, f"{prefix}metadata.{key} keys", "strings", k)
            if vtext is None:
                raise _bad(where, f"{prefix}metadata.{key}[{ktext}]", "a string", v)
            clean[ktext] = vtext
        meta[key] = clean


# A small schema for the parts of pod templates and webhooks that meshctl reads field by field:
# "str" (a string), "scalar" (string, number or boolean), "strmap" (a mapping of scalars),
# a dict (a mapping with these fields), a one-element list (a list of that).
_SELECTOR: dict[str, Any] = {
    "matchLabels": "strmap",
    "matchExpressions": [{"key": "str", "operator": "str", "values": ["scalar"]}],
}
_CONTAINER: dict[str, Any] = {
    "name": "str", "image": "str", "args": ["scalar"], "command": ["scalar"],
    "ports": [{"name": "str", "containerPort": "scalar", "protocol": "str"}],
    "env": [{"name": "str"}], "volumeMounts": [{"name": "str", "mountPath": "str"}],
}
_POD_SPEC: dict[str, Any] = {
    "containers": [_CONTAINER], "initContainers": [_CONTAINER], "volumes": [{"name": "str"}],
}
_WEBHOOK: dict[str, Any] = {"name": "str", "namespaceSelector": _SELECTOR, "objectSelector": _SELECTOR}


def _conform(value: Any, spec: Any, where: str, field: str) -> None:
    """InputError naming ``field`` when ``value`` (not null) does not have the shape ``spec``."""
    if value is None:
        return
    if spec == "str":
        if not isinstance(value, str):
            raise _bad(where, field, "a string", value)
    elif spec == "scalar":
        if _scalar_text(value) is None:
            raise _bad(where, field, "a string or number", value)
    elif spec == "strmap":
        if not isinstance(value, dict):
            raise _bad(where, field, "a mapping", value)
        for k, v in value.items():
            if _scalar_text(v) is None:
                raise _bad(where, f"{field}[{k}]", "a string", v)
    elif isinstance(spec, list):
        if not isinstance(value, list):
            raise _bad(where, field, "a list", value)
        for i, item in enumerate(value):
            if item is None:
                raise _bad(where, f"{field}[{i}]", "a mapping" if isinstance(spec[0], dict) else "a value", item)
            _conform(item, spec[0], where, f"{field}[{i}]")
    elif isinstance(spec, dict):
        if not isinstance(value, dict):
            raise _bad(where, field, "a mapping", value)
        for key, sub in spec.items():
            item = value.get(key)
            if item is not None:  # (the field's name is only made for a field that is there)
                _conform(item, sub, where, f"{field}.{key}")


def _check_pod_template(obj: dict[str, Any], kind: str, where: str) -> None:
    path = POD_TEMPLATE_PATHS[kind]
    node = obj
    for depth, part in enumerate(path):
        child = _mapping(node, part, where, ".".join(path[: depth + 1]))
        if child is None:
            return
        node = child
    prefix = ".".join(path) + "." if path else ""
    if path:
        check_metadata(node, where, prefix)
    _conform(node.get("spec"), _POD_SPEC, where, f"{prefix}spec")


def check_object(obj: dict[str, Any], where: str) -> dict[str, Any]:
    """``obj`` (labels and annotations normalised in place) when its envelope is well-formed."""
    for key in ("apiVersion", "kind"):
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            raise _bad(where, key, "a string", value)
    check_metadata(obj, where)
    _mapping(obj, "spec", where, "spec")
    kind = obj.get("kind") or ""
    if kind in POD_TEMPLATE_PATHS:
        _check_pod_template(obj, kind, where)
    elif kind in _WEBHOOK_KINDS:
        _conform(obj.get("webhooks"), [_WEBHOOK], where, "webhooks")
    elif kind in ("ConfigMap", "Secret"):
        for key in ("data", "stringData", "binaryData"):  # the API server keeps only string values here
            _conform(obj.get(key), "strmap", where, key)
    return obj


def list_items(obj: dict[str, Any], where: str) -> list[Any]:
    """A ``kind: List``'s ``items`` (empty when null); InputError when it is not a list."""
    items = obj.get("items")
    if items is None:
        return []
    if not isinstance(items, list):
        raise _bad(where, "items", "a list", items)
    return items
