"""``meshctl analyze``: check Istio configuration in files and/or the cluster."""

from typing import Annotated

import typer

from meshctl.cli import findings as f
from meshctl.cli import options as o
from meshctl.cli.output import emit, note, progress
from meshctl.errors import UsageError


def _list_analyzers(output: str) -> None:
    from meshctl.analysis.listing import render_analyzer_list

    emit(render_analyzer_list(output))


def wants_cluster(files: list[str], all_namespaces: bool, kubeconfig: str | None, context: str | None,
                  namespace: str | None = None) -> bool:
    """Read the cluster unless only files were given: -n, -A, --kubeconfig or --context ask for it
    (the files are then merged over the cluster view, as istioctl does)."""
    return not files or all_namespaces or bool(kubeconfig or context or namespace)


def _mtls_view(req, output: str, namespace: str | None) -> None:  # type: ignore[no-untyped-def]
    from meshctl.analysis.mtls_summary import SUMMARY_KINDS, render_summary, summarize
    from meshctl.analysis.pipeline import load_snapshot

    snapshot, env, _ = load_snapshot(req, set(SUMMARY_KINDS))
    emit(render_summary(summarize(snapshot, env, namespace), "table" if output == "log" else output))


def analyze(
    view: Annotated[str | None, typer.Argument(
        help="Optional view instead of findings: 'mtls' prints the effective mTLS mode per workload port.",
        show_default=False)] = None,
    filename: o.Filename = None,
    use_kube: Annotated[bool | None, typer.Option(
        "--use-kube/--no-use-kube",
        help="Read the cluster (default: when no -f is given, or with -n, -A, --kubeconfig or --context; "
             "files given with -f are then applied over the cluster view). --use-kube=false works too.")] = None,
    analyzer: Annotated[list[str] | None, typer.Option(
        "--analyzer", help="Run only these analyzers (istioctl names accepted). Repeatable.")] = None,
    list_analyzers: Annotated[bool, typer.Option("--list-analyzers", "-L",
                                                 help="List analyzers and exit.")] = False,
    output: f.Output = "log",
    failure_threshold: f.FailureThreshold = "Error",
    output_threshold: f.OutputThreshold = "Info",
    suppress: f.Suppress = None,
    mesh_config: Annotated[str | None, typer.Option(
        "--meshConfigFile", "--mesh-config", help="Mesh config file to use instead of defaults.")] = None,
    mesh_networks: Annotated[str | None, typer.Option(
        "--meshNetworksFile", "--mesh-networks", help="Mesh networks file.")] = None,
    ignore_unknown: f.IgnoreUnknown = False,
    cert_horizon: Annotated[str, typer.Option(
        "--cert-horizon", help="Warn about certificates expiring within this time (e.g. 30d, 12h).")] = "30d",
    istio_version: Annotated[str | None, typer.Option(
        "--istio-version", help="Istio version that version-dependent checks assume (default: the cluster's "
        "istiod image tag, else the release meshctl targets).", show_default=False)] = None,
    allow_partial: o.AllowPartial = False,
    strict_access: o.StrictAccess = False,
    istio_namespace: o.IstioNamespace = "istio-system",
    namespace: o.Namespace = None,
    all_namespaces: o.AllNamespaces = False,
    kubeconfig: o.Kubeconfig = None,
    context: o.Context = None,
    timeout: o.Timeout = 30.0,
    verbose: o.Verbose = False,
) -> None:
    """Analyze Istio configuration and report problems with istioctl's IST codes."""
    f.check_format(output)
    if list_analyzers:
        _list_analyzers(output)
        return
    from meshctl.analysis.durations import parse_duration
    from meshctl.analysis.pipeline import AnalyzeRequest
    from meshctl.analysis.pipeline import analyze as run
    from meshctl.report import chunks

    files = filename or []
    kube = use_kube if use_kube is not None else wants_cluster(files, all_namespaces, kubeconfig, context,
                                                               namespace)
    if not kube and not files:
        raise UsageError("nothing to analyze: give files with -f, or let meshctl read the cluster "
                         "(drop --use-kube=false)")
    failing, shown = f.thresholds(failure_threshold, output_threshold)
    req = AnalyzeRequest(
        files=files, use_kube=kube,
        cluster=o.cluster_options(kubeconfig, context, timeout, verbose),
        namespace=namespace, all_namespaces=all_namespaces, analyzers=analyzer or [],
        mesh_config_file=mesh_config, mesh_networks_file=mesh_networks, suppress=suppress or [],
        failure_threshold=failing, output_threshold=shown,
        ignore_unknown=ignore_unknown, istio_namespace=istio_namespace,
        cert_horizon=parse_duration(cert_horizon, "--cert-horizon"),
        istio_version=_istio_version(istio_version), allow_partial=allow_partial, strict_access=strict_access,
    )
    if view is not None:
        if view != "mtls":
            raise UsageError(f"unknown view {view!r}; the only view is 'mtls'")
        _mtls_view(req, output, namespace)
        return
    with progress("Analyzing", o.colors_enabled()):
        result = run(req)
    for line in result.notes:
        note(line)
    f.finish(result, chunks(output), verbose)


def _istio_version(text: str | None) -> str | None:
    if text is None:
        return None
    from meshctl.precheck.versions import parse

    if parse(text) is None:
        raise UsageError(f"--istio-version {text!r} is not a version such as 1.28.0")
    return text.lstrip("v")
