"""``meshctl inject enable|disable|status|iptables``, ``kube-inject`` and ``check-inject``.

Parsing, calling the use cases of :mod:`meshctl.inject` and rendering only; the cluster
client the use cases receive comes from :mod:`meshctl.sources.cluster`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from meshctl.cli import options as o
from meshctl.cli.output import emit, note
from meshctl.errors import InputError, UsageError

app = typer.Typer(help="Sidecar injection: namespace labels and the iptables preview.", no_args_is_help=True)

Revision = Annotated[str | None, typer.Option("--revision", "-r", help="Istio revision (istio.io/rev).")]
InjectionConfig = Annotated[str | None, typer.Option(
    "--injection-config", "--injectConfigFile",
    help="The istio-sidecar-injector ConfigMap (or its values) instead of the cluster's.")]
MeshConfig = Annotated[str | None, typer.Option(
    "--mesh-config", "--meshConfigFile", help="Mesh config (or the istio ConfigMap) not the cluster's.")]
ValuesFile = Annotated[str | None, typer.Option(
    "--values", "--valuesFile", help="Helm values (or an IstioOperator) instead of the cluster's.")]
UseKube = Annotated[bool | None, typer.Option(
    "--use-kube/--no-use-kube",
    help="Read values from the cluster (default: when no value files are given and a kubeconfig exists).")]
NativeSidecar = Annotated[bool, typer.Option(
    "--native-sidecar", help="Inject istio-proxy as a native sidecar (an init container).")]


def _connect(kubeconfig: str | None, context: str | None, timeout: float) -> Any:
    """A lazy cluster client, made by :mod:`meshctl.sources.cluster` on the first call."""
    from meshctl.sources.cluster import connector

    return connector(o.cluster_options(kubeconfig, context, timeout))


def _sources(injection_config: str | None, mesh_config: str | None, values_file: str | None,
             revision: str | None, native: bool, use_kube: bool | None, kubeconfig: str | None,
             context: str | None, istio_namespace: str) -> Any:
    from meshctl.inject.usecases import ValueSources
    from meshctl.sources.cluster import configured

    return ValueSources(injection_config, mesh_config, values_file, revision, native, use_kube,
                        configured(kubeconfig, context), istio_namespace)


NamespaceOutput = Annotated[str, o.output_option(o.TABLE_FORMATS, "json and yaml: {namespace, labels (after), "
                                                                  "changed}.")]
CHECK_FORMATS = (*o.TABLE_FORMATS, "log", "sarif", "junit")
CheckOutput = Annotated[str, o.output_option(CHECK_FORMATS)]


def _label(action: str, namespace: str | None, revision: str | None, dry_run: str | None, output: str,
           kubeconfig: str | None, context: str | None, timeout: float) -> None:
    from meshctl.inject.namespaces import LabelRequest, label_namespace, render_label
    from meshctl.report.data import render_data
    from meshctl.sources.cluster import client

    table = o.table_format(output) == "table"
    req = LabelRequest(action, namespace, revision, o.dry_run_mode(dry_run))
    result = label_namespace(req, client(o.cluster_options(kubeconfig, context, timeout)))
    emit(render_label(result) if table else render_data(result.as_dict(), output))


@app.command("enable")
def enable(namespace: o.Namespace = None, revision: Revision = None, dry_run: o.DryRun = None,
           output: NamespaceOutput = "table", kubeconfig: o.Kubeconfig = None, context: o.Context = None,
           timeout: o.Timeout = 30.0) -> None:
    """Label a namespace for injection (istio-injection=enabled, or istio.io/rev=REV)."""
    o.label_value(revision, "--revision")
    _label("enable", namespace, revision, dry_run, output, kubeconfig, context, timeout)


@app.command("disable")
def disable(namespace: o.Namespace = None, dry_run: o.DryRun = None, output: NamespaceOutput = "table",
            kubeconfig: o.Kubeconfig = None, context: o.Context = None, timeout: o.Timeout = 30.0) -> None:
    """Remove a namespace's injection labels, keeping every other label."""
    _label("disable", namespace, None, dry_run, output, kubeconfig, context, timeout)


@app.command("status")
def status(namespace: o.Namespace = None, all_namespaces: o.AllNamespaces = False,
           output: o.Output = "table", kubeconfig: o.Kubeconfig = None, context: o.Context = None,
           timeout: o.Timeout = 30.0) -> None:
    """Per namespace: injection label, revision, the webhook that acts, pods that need a restart."""
    o.table_format(output)
    from meshctl.inject.namespaces import StatusRequest, injection_status, render_status
    from meshctl.sources.cluster import client

    statuses = injection_status(StatusRequest(namespace, all_namespaces),
                                client(o.cluster_options(kubeconfig, context, timeout)))
    emit(render_status(statuses, output))


@app.command("iptables")
def iptables(
    pod: Annotated[str | None, typer.Argument(help="Pod in the cluster (or a name in -f files).")] = None,
    filename: o.Filename = None, namespace: o.Namespace = None,
    fmt: Annotated[str, typer.Option("--format", help="save (iptables-save) or restore (istio-init's log).")]
    = "save",
    injection_config: InjectionConfig = None, mesh_config: MeshConfig = None, values_file: ValuesFile = None,
    use_kube: UseKube = None, istio_namespace: o.IstioNamespace = "istio-system",
    kubeconfig: o.Kubeconfig = None, context: o.Context = None, timeout: o.Timeout = 30.0,
) -> None:
    """The nat rules istio-init installs, from the same arguments kube-inject writes."""
    from meshctl.inject.usecases import IptablesRequest, iptables_preview

    sources = _sources(injection_config, mesh_config, values_file, None, False, use_kube, kubeconfig, context,
                       istio_namespace)
    result = iptables_preview(IptablesRequest(pod, filename or (), namespace, fmt, sources),
                              _connect(kubeconfig, context, timeout))
    for line in result.notes:
        note(line)
    emit(result.text)


def kube_inject(
    filename: Annotated[list[str], typer.Option("--filename", "-f", help="Manifest file, or - for stdin.")],
    output_file: Annotated[str | None, o.output_file_option(
        "Write the injected manifest to this file instead of stdout (not a format: kube-inject writes YAML).")]
    = None,
    native_sidecar: NativeSidecar = False, revision: Revision = None,
    injection_config: InjectionConfig = None, mesh_config: MeshConfig = None, values_file: ValuesFile = None,
    use_kube: UseKube = None, istio_namespace: o.IstioNamespace = "istio-system",
    kubeconfig: o.Kubeconfig = None, context: o.Context = None, timeout: o.Timeout = 30.0,
) -> None:
    """Inject the Istio sidecar into pods and pod templates in a manifest."""
    if output_file in o.TABLE_FORMATS:
        raise UsageError(f"-o/--output-file is the file to write, not a format (kube-inject always writes "
                         f"YAML); to write a file named {output_file!r}, use -o ./{output_file} "
                         "or redirect stdout")
    from meshctl.inject.usecases import KubeInjectRequest
    from meshctl.inject.usecases import kube_inject as run

    sources = _sources(injection_config, mesh_config, values_file, revision, native_sidecar, use_kube,
                       kubeconfig, context, istio_namespace)
    result = run(KubeInjectRequest(filename, sources), _connect(kubeconfig, context, timeout))
    for warning in result.warnings:
        note(f"Warning: {warning}")
    if output_file:
        try:
            Path(output_file).write_text(result.text, encoding="utf-8")
        except OSError as exc:
            raise InputError(f"{output_file}: cannot write ({exc.strerror})") from exc
        return
    emit(result.text)


def check_inject(
    pod: Annotated[str | None, typer.Argument(help="Pod name, or kind/name for a workload.")] = None,
    namespace: o.Namespace = None,
    selector: Annotated[str | None, typer.Option("--selector", "-l", help="Pods with these labels.")] = None,
    filename: o.Filename = None,
    output: CheckOutput = "table",
    failure_threshold: Annotated[str, typer.Option(
        "--failure-threshold", help="Exit 79 at this level: Error (2+ injectors), Warning (not injected).")]
    = "Error",
    kubeconfig: o.Kubeconfig = None, context: o.Context = None, timeout: o.Timeout = 30.0,
) -> None:
    """Explain, per mutating webhook, whether pods will be injected and why."""
    from meshctl.analysis.result import Result
    from meshctl.cli.findings import level
    from meshctl.inject import checks
    from meshctl.inject.checkinject import CheckInjectRequest
    from meshctl.inject.checkinject import check_inject as run

    threshold = level(failure_threshold, "--failure-threshold")
    if selector is not None:
        from meshctl.analysis.selectors import selector_syntax_error

        problem = selector_syntax_error(selector)
        if problem:
            raise UsageError(f"invalid label selector -l {selector!r}: {problem}")
    o.output_format(output, CHECK_FORMATS)
    found = run(CheckInjectRequest(pod, selector, filename or (), namespace), _connect(kubeconfig, context, timeout))
    for line in found.notes:
        note(line)
    result = Result(checks.messages(found.checks), failure_threshold=threshold, analyzers=("check-inject",))
    if output in o.TABLE_FORMATS:
        emit(checks.render(found.checks, output))
    else:
        from meshctl.report import renderer

        emit(renderer(output)(result))
    raise typer.Exit(int(result.exit_code))
