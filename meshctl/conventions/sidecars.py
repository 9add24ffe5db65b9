"""What counts as a sidecar: an ``istio-proxy`` container (a native sidecar is an init container)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from meshctl.conventions.labels import PROXY_CONTAINER


def proxy_containers(pod_spec: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The ``istio-proxy`` containers of a pod spec, including a native-sidecar init container."""
    containers = [*(pod_spec.get("containers") or []), *(pod_spec.get("initContainers") or [])]
    return [c for c in containers if isinstance(c, dict) and c.get("name") == PROXY_CONTAINER]


def proxy_env_json(pod_spec: Mapping[str, Any], name: str) -> Any:
    """The JSON value of the first non-empty env variable ``name`` of an ``istio-proxy`` container
    (what an earlier injection handed to the agent); None when absent or not JSON."""
    for container in proxy_containers(pod_spec):
        for env in container.get("env") or []:
            if isinstance(env, dict) and env.get("name") == name and env.get("value"):
                try:
                    return json.loads(str(env["value"]))
                except ValueError:
                    return None
    return None


def has_sidecar(pod_spec: Mapping[str, Any]) -> bool:
    """Whether a pod spec runs Istio's proxy as a sidecar."""
    return bool(proxy_containers(pod_spec))
