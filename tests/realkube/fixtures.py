"""pytest fixtures for the real API server tier.

``real_kube``      one etcd + kube-apiserver per test session (users: ``admin``, ``viewer``, ``nsuser``,
                   ``nobody``, all without RBAC grants but ``admin``); tests isolate by namespace name.
``real_kube_istio`` the same server with Istio's CRDs from ``../shared/istio/charts`` applied and established.
``real_kubeconfig`` ``real_kubeconfig(user="admin", namespace="default")`` -> a kubeconfig path for that user.
The tier is skipped when neither ``KUBEBUILDER_ASSETS`` nor ``../shared/kube`` holds the binaries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .objects import apply_all, istio_crds
from .server import RealKube, assets_dir

TOKEN_USERS = {"viewer": ("testers",), "nsuser": ("testers",), "nobody": ("testers",),
               "installer": ("testers",)}


@pytest.fixture(scope="session")
def real_kube(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealKube]:
    """A started real API server for the whole session (skips when the binaries are absent)."""
    assets = assets_dir()
    if assets is None:
        pytest.skip("no kube-apiserver/etcd (KUBEBUILDER_ASSETS or ../shared/kube)")
    kube = RealKube(workdir=tmp_path_factory.mktemp("realkube"), assets=assets).start(TOKEN_USERS)
    yield kube
    kube.stop()


@pytest.fixture(scope="session")
def real_kube_istio(real_kube: RealKube) -> RealKube:
    """The session's real API server with Istio's CRDs applied (skips without ../shared/istio)."""
    from tests.conftest import SHARED_ISTIO

    if not SHARED_ISTIO.is_dir():
        pytest.skip("../shared/istio is not present")
    apply_all(real_kube, istio_crds(SHARED_ISTIO))
    return real_kube


@pytest.fixture
def real_kubeconfig(real_kube: RealKube, tmp_path: Path) -> Callable[..., str]:
    """``real_kubeconfig(user="admin", namespace="default")`` -> path of a kubeconfig for that user."""
    def make(user: str = "admin", namespace: str = "default") -> str:
        return str(real_kube.kubeconfig(tmp_path / f"kubeconfig-{user}-{namespace}", user, namespace))
    return make
