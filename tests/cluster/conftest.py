"""Helpers for the cluster tests: fresh clients per test, options for the fake API server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from meshctl.cluster.client import reset_clients
from meshctl.cluster.options import ClusterOptions


@pytest.fixture(autouse=True)
def _fresh_clients() -> Iterator[None]:
    reset_clients()
    yield
    reset_clients()


def options(fake_api: Any, timeout: float = 20.0, verbose: bool = False) -> ClusterOptions:
    """ClusterOptions pointing at the fake server's kubeconfig."""
    return ClusterOptions(kubeconfig=fake_api.kubeconfig, timeout=timeout, verbose=verbose)


def crd(group: str, kind: str, plural: str, versions: tuple[str, ...] = ("v1",),
        namespaced: bool = True) -> dict[str, Any]:
    """A minimal CustomResourceDefinition serving ``versions`` (the first one stored)."""
    return {
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"name": f"{plural}.{group}"},
        "spec": {"group": group, "scope": "Namespaced" if namespaced else "Cluster",
                 "names": {"kind": kind, "plural": plural, "singular": kind.lower(),
                           "listKind": f"{kind}List"},
                 "versions": [{"name": v, "served": True, "storage": i == 0,
                               "schema": {"openAPIV3Schema": {"type": "object",
                                                              "x-kubernetes-preserve-unknown-fields": True}}}
                              for i, v in enumerate(versions)]},
    }


def pod(name: str, namespace: str = "default", labels: dict[str, str] | None = None) -> dict[str, Any]:
    """A minimal Pod."""
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": namespace, "labels": labels or {}},
            "spec": {"containers": [{"name": "app", "image": "nginx"}]}}


def lists_of(fake_api: Any, path_suffix: str) -> int:
    """How many GETs hit a collection path ending with ``path_suffix``."""
    return sum(n for (method, path), n in fake_api.requests.items()
               if method == "GET" and path.endswith(path_suffix))
