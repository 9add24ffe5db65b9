"""Kubernetes version checks: the server is in Istio's window; kubectl is within one minor."""

from __future__ import annotations

from collections.abc import Iterator

from meshctl.analysis.message import Message
from meshctl.precheck import versions
from meshctl.precheck.model import PrecheckRequest, PrecheckSnapshot
from meshctl.precheck.registry import check, finding


def _server(snap: PrecheckSnapshot) -> str:
    return str(snap.server_version.get("gitVersion") or "")


@check("kubernetes-version", "kubernetes-version",
       "The API server runs a Kubernetes version the Istio being installed supports.",
       codes=("IST0142", "MSH0802"))
def kubernetes_version(snap: PrecheckSnapshot, req: PrecheckRequest) -> Iterator[Message]:
    """IST0142 below Istio's oldest supported minor, MSH0802 above its newest."""
    server = _server(snap)
    found = versions.minor(server)
    if found is None:
        return
    oldest, newest = versions.kubernetes_window(req.istio_version)
    if found < oldest:
        yield finding("IST0142", version=server, minimum=versions.fmt(oldest))
    elif found > newest:
        yield finding("MSH0802", version=server, maximum=versions.fmt(newest), istio=req.istio_version)


@check("kubectl-version-skew", "kubernetes-version",
       "The kubectl on this machine is within one minor version of the API server.",
       codes=("MSH0803",))
def kubectl_skew(snap: PrecheckSnapshot, req: PrecheckRequest) -> Iterator[Message]:
    """MSH0803 when kubectl and the server are more than one minor apart (skipped without kubectl)."""
    client, server = versions.minor(snap.client_version), versions.minor(_server(snap))
    if client is None or server is None or client[0] != server[0]:
        return
    skew = abs(client[1] - server[1])
    if skew > 1:
        yield finding("MSH0803", client=snap.client_version, server=_server(snap), skew=skew)
