"""``meshctl proxy-config endpoints`` (aliases ``endpoint``, ``ep``), with ``--compare-k8s``.

A plain command function; :mod:`meshctl.cli.proxy_config` registers it.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from meshctl.cli import options as o
from meshctl.cli.output import emit, note
from meshctl.cli.proxy_options import Address, Port, Shared, Source, read_clusters, render, shared_options
from meshctl.errors import UsageError

#: Envoy's HealthStatus values (config.core.v3), as the STATUS column shows them.
HEALTH_STATUSES = ("HEALTHY", "UNHEALTHY", "DRAINING", "TIMEOUT", "DEGRADED", "UNKNOWN")


def _statuses(src: Source) -> tuple[Any, Any]:
    """(``/clusters?format=json`` document, config dump or None): live, from the target; for ``-f``, the
    file as such (istioctl's clusters.json) or, for a config dump, its EDS in that shape and the dump."""
    from meshctl.envoy.dump import from_document, parse_json
    from meshctl.envoy.fields import field
    from meshctl.envoy.views import eds_statuses
    from meshctl.errors import InputError
    from meshctl.sources.envoy import read_text

    if src.target.live:
        return read_clusters(src)[1], None
    label = "stdin" if src.target.value == "-" else src.target.value
    doc = parse_json(read_text(src.target.value), label)
    if isinstance(doc, dict) and isinstance(field(doc, "cluster_statuses"), list):
        return doc, None
    if isinstance(doc, dict) and isinstance(field(doc, "configs"), list):
        dump = from_document(doc, label)
        return eds_statuses(dump), dump
    raise InputError(f"{label} is neither Envoy's /clusters?format=json output nor a config dump")


def _k8s_client(src: Source) -> Any:
    """The cluster client for --compare-k8s; without a usable kubeconfig, a usage error."""
    from meshctl.errors import ClusterError
    from meshctl.sources.cluster import client

    try:
        return client(src.cluster)
    except ClusterError as exc:
        raise UsageError(f"--compare-k8s reads EndpointSlices and needs a usable kubeconfig: {exc}") from None


def _compare_k8s(src: Source, statuses: Any, flt: Any) -> list[Any]:
    """Endpoint rows with a ``k8s`` state (see ``meshctl.envoy.k8s_compare``), filtered by ``flt``."""
    from meshctl.envoy import k8s_compare as kc
    from meshctl.envoy.endpoints import status_rows_and_objects
    from meshctl.envoy.views import cluster_names
    from meshctl.sources.envoy import read_endpoint_slices

    client = _k8s_client(src)
    rows = status_rows_and_objects(statuses)[0]
    names = cluster_names(statuses)
    wanted = kc.service_clusters([*names, *(str(r["cluster"]) for r in rows)])
    if not wanted:
        note("Note: no outbound cluster of a Kubernetes service (NAME.NS.svc.DOMAIN) to compare")
    slices, services = read_endpoint_slices(client, kc.namespaces_of(wanted))
    return kc.compare_endpoints(rows, names, slices, services, flt)


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
    """Endpoints (ENDPOINT, STATUS, OUTLIER CHECK, CLUSTER) from /clusters?format=json, or -f clusters.json."""
    from meshctl.cli.proxy_options import source
    from meshctl.envoy.endpoints import STATUS_COLUMNS, EndpointFilter
    from meshctl.envoy.tables import table
    from meshctl.envoy.views import View, endpoints_view

    src = source(opts)
    o.choice(status, HEALTH_STATUSES, "--status", ignore_case=True)
    flt = EndpointFilter(address, port, cluster, status)
    statuses, dump = _statuses(src)
    if not compare_k8s:
        emit(render(endpoints_view(statuses, flt, dump), opts.output))
        return
    from meshctl.envoy.k8s_compare import differences
    from meshctl.errors import ExitCode, MeshctlError

    rows = _compare_k8s(src, statuses, flt)
    view = View(rows, [], table(rows, (*STATUS_COLUMNS, ("K8S", "k8s")), 5))
    emit(render(view, "rows-json" if opts.output == "json" else "rows-yaml" if opts.output == "yaml"
                else opts.output))
    if differences(rows):
        raise MeshctlError(
            f"{differences(rows)} endpoint(s) differ from Kubernetes EndpointSlices", ExitCode.FINDINGS
        )

