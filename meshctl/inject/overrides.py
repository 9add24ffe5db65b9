"""User settings on injected containers: a strategic merge, and the ``proxy.istio.io/overrides`` record.

A pod may name a container the injector also writes (``istio-proxy``, ``istio-init``, or
an app container a template touches). The injected container is built first; the
user's fields are then merged over it, as Kubernetes' strategic merge patch does
(lists of containers, env, ports and mounts merge by key; other lists replace), and the
user's containers are recorded in the annotation so that re-injection keeps them.
"""

from __future__ import annotations

import copy
import json
from typing import Any

Obj = dict[str, Any]
ANNOTATION = "proxy.istio.io/overrides"
#: List fields that merge by a key instead of replacing (Kubernetes' patchMergeKey).
MERGE_KEYS = {"containers": "name", "initContainers": "name", "env": "name", "volumes": "name",
              "ports": "containerPort", "volumeMounts": "mountPath", "volumeDevices": "devicePath",
              "imagePullSecrets": "name", "sysctls": "name", "hostAliases": "ip",
              "topologySpreadConstraints": "topologyKey", "resourceClaims": "name"}


def merge_list(base: list[Any], patch: list[Any], key: str) -> list[Any]:
    """Items merged by ``key``: the base's order, new items appended."""
    out = [copy.deepcopy(i) for i in base]
    for item in patch:
        if not isinstance(item, dict):
            continue
        match = next((i for i, b in enumerate(out) if isinstance(b, dict) and b.get(key) == item.get(key)), None)
        if match is None:
            out.append(copy.deepcopy(item))
        else:
            out[match] = strategic_merge(out[match], item)
    return out


def strategic_merge(base: Obj, patch: Obj) -> Obj:
    """``patch`` merged over ``base`` the way a strategic merge patch of core/v1 types does."""
    out = copy.deepcopy(base)
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = strategic_merge(out[key], value)
        elif isinstance(value, list) and key in MERGE_KEYS and isinstance(out.get(key), list):
            out[key] = merge_list(out[key], value, MERGE_KEYS[key])
        else:
            out[key] = copy.deepcopy(value)
    return out


def user_fields(container: Obj) -> Obj:
    """The user's container as an override: ``image: auto`` means the injector's image."""
    out = {k: copy.deepcopy(v) for k, v in container.items() if not (k == "image" and v == "auto")}
    out.setdefault("resources", {})
    return out


def recorded(annotations: Obj) -> dict[str, list[Obj]] | None:
    """The overrides kept from an earlier injection, or None."""
    text = annotations.get(ANNOTATION)
    if not text:
        return None
    try:
        data = json.loads(str(text))
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    return {k: [c for c in data.get(k) or [] if isinstance(c, dict)] for k in ("containers", "initContainers")}


def collect(spec: Obj, written: dict[str, set[str]], annotations: Obj) -> dict[str, list[Obj]]:
    """The user's containers that name containers the templates write (per list)."""
    earlier = recorded(annotations)
    if earlier is not None:
        return earlier
    found: dict[str, list[Obj]] = {}
    for key in ("containers", "initContainers"):
        names = written.get(key, set())
        mine = [user_fields(c) for c in spec.get(key) or [] if c.get("name") in names]
        if mine:
            found[key] = mine
    return found


def record(overrides: dict[str, list[Obj]]) -> str | None:
    """The annotation's JSON value, or None when the user overrode nothing."""
    data = {k: v for k, v in overrides.items() if v}
    return json.dumps(data, separators=(",", ":")) if data else None


def reapply(spec: Obj, overrides: dict[str, list[Obj]]) -> None:
    """Merge the user's containers over the injected ones, in place."""
    for key, containers in overrides.items():
        current = spec.get(key) or []
        for user in containers:
            for index, c in enumerate(current):
                if c.get("name") == user.get("name"):
                    merged = strategic_merge(c, {k: v for k, v in user.items() if v != {} or k != "resources"})
                    current[index] = merged
