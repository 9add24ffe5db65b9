"""``meshctl proxy-config endpoints`` (aliases ``endpoint``, ``ep``), with ``--compare-k8s``.

Registered on :data:`meshctl.cli.proxy_config.app`, which imports this module.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from meshctl.cli import options as o
from meshctl.cli.output import note
from meshctl.cli.proxy_config import HEALTH_STATUSES, _Ctx, _emit_rows, app
from meshctl.cli.proxy_options import Address, Port, Shared, shared_options
from meshctl.errors import UsageError


def _endpoint_source(ctx: _Ctx, flt: Any, prefixed: bool = False) -> tuple[list[Any], list[str]]:
    """(endpoint rows, every cluster name Envoy reports, with or without endpoints)."""
    from meshctl.envoy.dump import KEEP, load, parse_json
    from meshctl.envoy.endpoints import endpoint_rows, live_endpoint_rows
    from meshctl.envoy.fields import field

    if ctx.target.live:
        label, _, clusters_text = ctx.fetch(dump=False, live_clusters=True)
        doc = parse_json(clusters_text or "{}", f"{label}/clusters")
        names = [str(field(c, "name", "")) for c in field(doc, "cluster_statuses") or ()]
        return live_endpoint_rows(doc, flt, prefixed), names
    label, text, _ = ctx.fetch()
    model = load(text, label, KEEP["endpoints"])
    names = [str(field(e.resource, "cluster_name", "")) for e in model.entries("endpoints")]
    return endpoint_rows(model, flt, prefixed), names


def _k8s_client(ctx: _Ctx) -> Any:
    """The cluster client for --compare-k8s; without a usable kubeconfig, a usage error."""
    from meshctl.cluster.client import get_client
    from meshctl.errors import ClusterError

    try:
        return get_client(ctx.cluster)
    except ClusterError as exc:
        raise UsageError(f"--compare-k8s reads EndpointSlices and needs a usable kubeconfig: {exc}") from None


def _compare_k8s(ctx: _Ctx, flt: Any) -> list[Any]:
    """Endpoint rows with a ``k8s`` state (see ``meshctl.envoy.k8s_compare``), filtered by ``flt``."""
    from meshctl.envoy import k8s_compare as kc

    client = _k8s_client(ctx)
    rows, names = _endpoint_source(ctx, None)
    wanted = kc.service_clusters([*names, *(str(r["cluster"]) for r in rows)])
    if not wanted:
        note("Note: no outbound cluster of a Kubernetes service (NAME.NS.svc.DOMAIN) to compare")
    slices, services = kc.read_kubernetes(client, kc.namespaces_of(wanted))
    return kc.compare_endpoints(rows, names, slices, services, flt)


@app.command("endpoints")
@shared_options()
def endpoints(
    opts: Shared,
    address: Address = "",
    port: Port = 0,
    cluster: Annotated[str, typer.Option("--cluster", help="Only endpoints of this cluster.")] = "",
    status: Annotated[str, typer.Option(
        "--status", help="Only this health status: HEALTHY, UNHEALTHY, DRAINING, TIMEOUT, DEGRADED or UNKNOWN.")]
    = "",
    compare_k8s: Annotated[
        bool,
        typer.Option(
            "--compare-k8s",
            help="Compare service clusters with the Kubernetes EndpointSlices (K8S column); exit 79 on any "
            "difference.",
        ),
    ] = False,
) -> None:
    """Endpoints: live from /clusters?format=json, or from EDS in a dump file."""
    from meshctl.envoy.endpoints import COLUMNS, EndpointFilter
    from meshctl.envoy.tables import table

    ctx = _Ctx(opts)
    o.choice(status, HEALTH_STATUSES, "--status", ignore_case=True)
    flt = EndpointFilter(address, port, cluster, status)
    if not compare_k8s:
        rows = _endpoint_source(ctx, flt)[0]
        _emit_rows(rows, opts.output, lambda: table(rows, COLUMNS, 5))
        return
    from meshctl.envoy.k8s_compare import differences
    from meshctl.errors import ExitCode, MeshctlError

    rows = _compare_k8s(ctx, flt)
    _emit_rows(rows, opts.output, lambda: table(rows, (*COLUMNS, ("K8S", "k8s")), 5))
    if differences(rows):
        raise MeshctlError(
            f"{differences(rows)} endpoint(s) differ from Kubernetes EndpointSlices", ExitCode.FINDINGS
        )


for _alias in ("endpoint", "ep"):
    app.command(_alias, hidden=True)(endpoints)
