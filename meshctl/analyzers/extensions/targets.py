"""Which pods a WasmPlugin applies to, from its selector or targetRefs."""

from __future__ import annotations

from typing import Any

from meshctl.analysis.selectors import LabelIndex, index_by_namespace
from meshctl.resource import Resource

GATEWAY_NAME_LABEL = "gateway.networking.k8s.io/gateway-name"
PodKey = tuple[str | None, str]


def target_refs(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """``targetRefs`` plus the older single ``targetRef``."""
    refs = [r for r in spec.get("targetRefs") or [] if isinstance(r, dict)]
    if isinstance(spec.get("targetRef"), dict):
        refs.append(spec["targetRef"])
    return refs


class WorkloadResolver:
    """Resolves a plugin's selection to a set of pods, with pods and Services indexed once."""

    def __init__(self, pods: list[Resource], services: list[Resource], root_namespace: str) -> None:
        self.pods = LabelIndex(pods)
        self.by_ns = {ns: LabelIndex(items) for ns, items in index_by_namespace(pods).items()}
        self.services = {(s.namespace, s.name): s for s in services}
        self.root = root_namespace

    def _pods(self, match_labels: dict[str, Any] | None, namespace: str | None) -> set[PodKey]:
        index = self.pods if namespace == self.root else self.by_ns.get(namespace)
        return {(p.namespace, p.name) for p in index.select(match_labels)} if index else set()

    def _ref_pods(self, ref: dict[str, Any], namespace: str | None) -> set[PodKey] | None:
        kind = ref.get("kind")
        name = str(ref.get("name") or "")
        if kind == "Gateway":
            return self._pods({GATEWAY_NAME_LABEL: name}, namespace)
        if kind == "Service":
            svc = self.services.get((namespace, name))
            selector = svc.spec.get("selector") if svc else None
            if not selector:
                return set()
            return self._pods(selector, namespace)
        return None

    def resolve(self, plugin: Resource) -> set[PodKey] | None:
        """The pods the plugin applies to; None when that cannot be worked out offline."""
        spec = plugin.spec
        refs = target_refs(spec)
        if refs:
            selected: set[PodKey] = set()
            for ref in refs:
                pods = self._ref_pods(ref, plugin.namespace)
                if pods is None:
                    return None
                selected |= pods
            return selected
        selector = spec.get("selector")
        match = selector.get("matchLabels") if isinstance(selector, dict) else None
        return self._pods(match, plugin.namespace)


def describe_target(plugin: Resource) -> str:
    """How a plugin selects workloads, for messages."""
    spec = plugin.spec
    refs = target_refs(spec)
    if refs:
        return "targetRefs " + ", ".join(f"{r.get('kind')}/{r.get('name')}" for r in refs)
    match = (spec.get("selector") or {}).get("matchLabels") or {}
    return "selector " + ",".join(f"{k}={v}" for k, v in sorted(match.items()))
