"""Fresh cluster clients per test, Istio's chart sources, and a cleaned-up install on the real API server."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from meshctl.cluster.client import reset_clients


@pytest.fixture(autouse=True)
def _fresh_clients() -> Iterator[None]:
    reset_clients()
    yield
    reset_clients()


@pytest.fixture
def charts(shared_istio: Path) -> Path:
    """Istio's chart sources (``../shared/istio/charts``)."""
    return shared_istio / "charts"


@pytest.fixture
def mesh(real_kube_istio: Any, real_kubeconfig: Callable[..., str], run_cli: Any, charts: Path) -> Iterator[Any]:
    """A unique Istio namespace on the real API server, and helpers to install into it.

    ``mesh.install(*args)`` runs ``meshctl install`` there (charts from ../shared/istio, no precheck,
    no wait: the test server runs no controllers). Every release left in the namespace is uninstalled
    afterwards, since cluster-scoped names such as the injector webhook are shared by the session.
    """
    ns = f"mi-{uuid.uuid4().hex[:8]}"
    kubeconfig = real_kubeconfig()

    class Mesh:
        namespace = ns
        kube = real_kube_istio
        config = kubeconfig

        def cli(self, *args: str) -> Any:
            return run_cli(*args, "--kubeconfig", kubeconfig)

        def install(self, *args: str) -> Any:
            return self.cli("install", "--charts", str(charts), "--set", f"values.global.istioNamespace={ns}",
                            "-y", "--skip-precheck", "--no-wait", *args)

        def uninstall(self, *args: str) -> Any:
            return self.cli("uninstall", "-i", ns, "-y", *args)

        def get(self, path: str) -> Any:
            return real_kube_istio.request("GET", path)

        def make_ready(self) -> None:
            """Write Deployment/DaemonSet status as their controllers would (none runs here)."""
            for kind in ("deployments", "daemonsets"):
                for item in self.get(f"/apis/apps/v1/namespaces/{ns}/{kind}")["items"]:
                    name, gen = item["metadata"]["name"], item["metadata"].get("generation", 1)
                    want = item["spec"].get("replicas", 1)
                    item["status"] = ({"replicas": want, "readyReplicas": want, "availableReplicas": want,
                                       "updatedReplicas": want, "observedGeneration": gen}
                                      if kind == "deployments" else
                                      {"desiredNumberScheduled": 1, "numberReady": 1, "updatedNumberScheduled": 1,
                                       "currentNumberScheduled": 1, "numberMisscheduled": 0,
                                       "observedGeneration": gen})
                    real_kube_istio.request("PUT", f"/apis/apps/v1/namespaces/{ns}/{kind}/{name}/status",
                                            json.dumps(item))

    helper = Mesh()
    yield helper
    for rev in ("canary", None):
        args = ("--revision", rev) if rev else ()
        run_cli("uninstall", "-i", ns, "-y", *args, "--kubeconfig", kubeconfig)
    from tests.realkube.objects import delete_namespace

    delete_namespace(real_kube_istio, ns)
