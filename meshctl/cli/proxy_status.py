"""``meshctl proxy-status [POD]``: the xDS sync state istiod holds for every proxy, or for one proxy the
difference between the config istiod would send and Envoy's own dump."""

from typing import Annotated, Any

import typer

from meshctl.cli import options as o
from meshctl.cli.output import emit
from meshctl.errors import ExitCode, InputError, MeshctlError, UsageError

Pod = Annotated[str | None, typer.Argument(metavar="[POD[.NAMESPACE]]", show_default=False,
                                           help="Compare this proxy's config in istiod and in Envoy.")]
IstiodUrl = Annotated[str | None, typer.Option(
    "--istiod-url", help="istiod's debug endpoint (e.g. http://127.0.0.1:15014) instead of port-forwards.")]
File = Annotated[str | None, typer.Option(
    "--file", "-f", help="Without POD: a saved /debug/syncz JSON; with POD: Envoy's saved config dump.")]
IstiodFile = Annotated[str | None, typer.Option(
    "--istiod-file", help="With POD: istiod's saved /debug/config_dump?proxyID= of the proxy.")]
Output = Annotated[str, o.output_option(o.TABLE_FORMATS)]
AdminPort = Annotated[int, typer.Option("--proxy-admin-port", help="Envoy admin port in the pod.")]


def _json_file(path: str) -> Any:
    from meshctl.sources.loading import json_value, read_text

    return json_value(read_text(path), "stdin" if path == "-" else path)


def _syncz(cluster: Any, namespace: str, url: str | None, file: str | None, timeout: float) -> list[Any]:
    """(istiod, its version, /debug/syncz document) from the file, the URL or every istiod pod."""
    if file:
        return [(file, "", _json_file(file))]
    from meshctl.sources.envoy import open_istiods

    with open_istiods(cluster, namespace, url, timeout) as readers:
        return [(r.label, r.version, r.json("/debug/syncz")) for r in readers]


def _istiod_dump(cluster: Any, namespace: str, url: str | None, file: str | None, proxy: str,
                 timeout: float) -> Any:
    """istiod's config dump for ``proxy``, from the file or the first istiod that has it connected."""
    from meshctl.envoy.dump import from_document, parse_json

    if file:
        return from_document(_json_file(file), file)
    from meshctl.sources.envoy import open_istiods

    with open_istiods(cluster, namespace, url, timeout) as readers:
        for reader in readers:
            resp = reader.request("/debug/config_dump", {"proxyID": proxy})
            if resp.status_code == 200 and resp.text.lstrip().startswith("{"):
                doc = parse_json(resp.text, f"{reader.label} config_dump of {proxy}")
                return from_document(doc, f"istiod {reader.label}")
    raise MeshctlError(f"no istiod has proxy {proxy} connected (asked /debug/config_dump?proxyID={proxy})")


def _render(data: Any, output: str) -> str:
    from meshctl.envoy.tables import render_rows

    return render_rows(data, output)


def proxy_status(
    pod: Pod = None,
    istiod_url: IstiodUrl = None,
    file: File = None,
    istiod_file: IstiodFile = None,
    output: Output = "table",
    namespace: o.Namespace = None,
    istio_namespace: o.IstioNamespace = "istio-system",
    admin_port: AdminPort = 15000,
    kubeconfig: o.Kubeconfig = None,
    context: o.Context = None,
    timeout: o.Timeout = 10.0,
) -> None:
    """Every proxy's xDS sync state as istiod sees it; with POD, istiod's config for it against Envoy's dump.

    CDS, LDS, EDS, RDS and ECDS are SYNCED, NOT SENT or STALE (with the nonces sent and acked). Exit 79
    when a proxy is out of sync, or when istiod's and Envoy's config differ."""
    from meshctl.envoy import sync

    o.output_format(output, o.TABLE_FORMATS)
    if istiod_url:
        from meshctl.cli.proxy_options import check_admin_url

        check_admin_url(istiod_url)
    cluster = o.cluster_options(kubeconfig, context, timeout)
    if pod is None:
        if istiod_file:
            raise UsageError("--istiod-file compares one proxy: give POD[.NAMESPACE] too")
        rows = sync.sync_rows(_syncz(cluster, istio_namespace, istiod_url, file, timeout))
        emit(sync.render_sync(rows) if output == "table" else _render(rows, output))
        bad = sync.out_of_sync(rows)
        if bad:
            raise MeshctlError(f"{len(bad)} of {len(rows)} proxies are not in sync with istiod", ExitCode.FINDINGS)
        return
    proxy, envoy = _envoy_side(pod, namespace, file, cluster, admin_port, timeout)
    istiod = _istiod_dump(cluster, istio_namespace, istiod_url, istiod_file, proxy, timeout)
    result = sync.compare(istiod, envoy)
    if output == "table":
        emit(sync.render_comparison(proxy, result))
    else:
        emit(_render({"proxy": proxy, "sections": result.sections, "differences": result.differences}, output))
    if not result.matches:
        raise MeshctlError(f"istiod's config for {proxy} and Envoy's differ in {len(result.differences)} "
                           "resource(s)", ExitCode.FINDINGS)


def _envoy_side(pod: str, namespace: str | None, file: str | None, cluster: Any, admin_port: int,
                timeout: float) -> tuple[str, Any]:
    """(proxy ID ``POD.NAMESPACE``, Envoy's dump of the compared sections)."""
    from meshctl.cli.proxy_options import read_target
    from meshctl.envoy.sync import COMPARED
    from meshctl.sources.envoy import Target, parse_target

    target = parse_target(pod, None, None, namespace)
    if target.kind != "pod":
        raise UsageError("proxy-status compares one pod: give POD[.NAMESPACE]")
    if file:
        envoy = read_target(Target("file", file), COMPARED, cluster, admin_port, timeout)
        ns = target.namespace or "default"
    else:
        from meshctl.sources.cluster import client

        ns = target.namespace or client(cluster).default_namespace
        envoy = read_target(Target("pod", target.value, ns), COMPARED, cluster, admin_port, timeout)
    if not any(envoy.section(k) for k in COMPARED):
        raise InputError(f"{envoy.origin} has none of the sections istiod sends ({', '.join(COMPARED)})")
    return f"{target.value}.{ns}", envoy
