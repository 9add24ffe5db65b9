"""install and uninstall use cases on an empty cluster (an in-memory client): CRDs first, record first, purge.

The real API server of the session already holds Istio's CRDs, so a first install that creates them,
and ``--purge`` deleting CRDs the release created, are exercised here against an in-memory cluster.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from meshctl.install import usecase
from meshctl.install.manifest import identity

pytest.importorskip("helm_python")


class Served:
    def __init__(self, group: str, version: str, kind: str) -> None:
        self.group, self.version, self.kind = group, version, kind
        self.plural = kind.lower() + "s"
        self.namespaced = kind not in {"CustomResourceDefinition", "Namespace", "ClusterRole", "ClusterRoleBinding",
                                       "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"}


class Deadline:
    def remaining(self) -> float:
        return 30.0


class MemoryCluster:
    """Just enough of the cluster client for install and uninstall."""

    def __init__(self) -> None:
        self.objects: dict[tuple[str, str, str, str], dict[str, Any]] = {}
        self.writes: list[tuple[str, dict[str, Any]]] = []
        self.deadline = Deadline()
        self.by_plural: dict[tuple[str, str], str] = {}

    def discovery(self) -> MemoryCluster:
        return self

    def find_kind(self, group: str, kind: str, version: str | None = None) -> Served:
        served = Served(group, version or "v1", kind)
        self.by_plural[(group, served.plural)] = kind
        return served

    def get_resource(self, group: str, version: str, plural: str, name: str, namespace: str | None) -> Any:
        kind = self.by_plural[(group, plural)]
        return copy.deepcopy(self.objects.get((group, kind, namespace or "", name)))

    def get(self, key: str, name: str, namespace: str | None = None) -> Any:
        return copy.deepcopy(self.objects.get(("", key, namespace or "", name)))

    def apply(self, obj: dict[str, Any], dry_run: bool = False, force: bool = True) -> dict[str, Any]:
        stored = copy.deepcopy(obj)
        stored["metadata"]["resourceVersion"] = str(len(self.writes) + 1)
        if obj["kind"] == "CustomResourceDefinition":
            stored["status"] = {"conditions": [{"type": "Established", "status": "True"}]}
        self.writes.append(("apply", obj))
        self.objects[identity(obj)] = stored
        return copy.deepcopy(stored)

    def list(self, key: str, label_selector: Any = None, namespace: str | None = None) -> list[dict[str, Any]]:
        return [copy.deepcopy(o) for k, o in self.objects.items() if k[1] == key]

    def delete(self, key: str, name: str, namespace: str | None = None, dry_run: bool = False) -> bool:
        for k in list(self.objects):
            if k[1] == key and k[3] == name and k[2] == (namespace or ""):
                self.writes.append(("delete", self.objects.pop(k)))
                return True
        return False

    def served_resources(self) -> list[tuple[str, str, str, str, bool]]:
        kinds = {(k[0], k[1]) for k in self.objects}
        return [(g, "v1", kind.lower() + "s", kind, Served(g, "v1", kind).namespaced) for g, kind in sorted(kinds)]

    def list_resource(self, group: str, version: str, plural: str, namespace: str | None = None) -> list[Any]:
        return [copy.deepcopy(o) for k, o in self.objects.items()
                if (k[0], k[1].lower() + "s") == (group, plural) and k[2] == (namespace or "")]


def _install(cluster: MemoryCluster, charts: Path, *sets: str) -> usecase.InstallResult:
    req = usecase.InstallRequest(sets=sets, charts_dir=str(charts), wait=False)
    return usecase.install(req, cluster, lambda q: None, lambda what, obj: None)


def test_first_install_records_first_then_creates_crds_before_anything_else(charts: Path) -> None:
    cluster = MemoryCluster()
    result = _install(cluster, charts)
    kinds = [obj["kind"] for verb, obj in cluster.writes]
    assert kinds[0] == "Namespace" and kinds[1] == "Secret"  # the record, before the first object
    first_other = next(i for i, k in enumerate(kinds[2:], 2) if k != "CustomResourceDefinition")
    assert kinds[2:first_other] and set(kinds[2:first_other]) == {"CustomResourceDefinition"}
    assert "CustomResourceDefinition" not in kinds[first_other:]
    assert result.report.count("created") == len(result.objects)
    webhook_at = kinds.index("ValidatingWebhookConfiguration")
    assert webhook_at > kinds.index("Deployment")


def test_purge_deletes_the_crds_the_release_created_and_the_namespace(charts: Path) -> None:
    cluster = MemoryCluster()
    _install(cluster, charts)
    kept = usecase.uninstall(cluster, "istio-system", None, purge=False, dry_run=True, confirm=lambda q: None,
                             notify=lambda w, o: None)
    assert not any(o["kind"] == "CustomResourceDefinition" for o in kept.doomed)
    purged = usecase.uninstall(cluster, "istio-system", None, purge=True, dry_run=False, confirm=lambda q: None,
                               notify=lambda w, o: None)
    crds = [o for o in purged.doomed if o["kind"] == "CustomResourceDefinition"]
    assert crds and purged.doomed[-1]["kind"] == "Namespace"
    assert cluster.objects == {}


def test_reinstall_is_unchanged_and_a_disabled_gateway_is_pruned(charts: Path) -> None:
    cluster = MemoryCluster()
    _install(cluster, charts)
    again = _install(cluster, charts)
    assert again.report.count("created") == 0 and again.pruned == []
    smaller = _install(cluster, charts, "components.ingressGateways[0].enabled=false")
    assert {o["metadata"]["name"] for o in smaller.pruned} == {"istio-ingressgateway"}
    assert not any(k[3] == "istio-ingressgateway" for k in cluster.objects)
