"""``meshctl install``, ``manifest generate``, ``verify-install`` and ``uninstall``."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any

import typer

from meshctl import ISTIO_VERSION
from meshctl.cli import options as o
from meshctl.cli.findings import Output as FindingsOutput
from meshctl.cli.output import emit, note
from meshctl.errors import ExitCode, MeshctlError, UsageError

if TYPE_CHECKING:
    from meshctl.install.config import InstallConfig
    from meshctl.install.usecase import InstallRequest

app = typer.Typer(help="Install Istio from its Helm charts (server-side apply, recorded, idempotent).",
                  invoke_without_command=True)
manifest_app = typer.Typer(help="Generate install manifests.", no_args_is_help=True)

Profile = Annotated[str | None, typer.Option("--profile", "-p", help="Profile: default, demo, minimal, empty, "
                                             "ambient, remote, preview, stable.", show_default=False)]
Set = Annotated[list[str] | None, typer.Option(
    "--set", "-s", help="Set a value: an IstioOperator path (values.pilot.autoscaleEnabled=false, "
    "components.ingressGateways[0].enabled=false, meshConfig..., hub=..., tag=...) or a Helm value "
    "(pilot.autoscaleEnabled=false). Repeatable.")]
Overlay = Annotated[list[str] | None, typer.Option(
    "--filename", "-f", help="An IstioOperator file or a Helm values file (- for stdin). Repeatable.")]
Revision = Annotated[str | None, typer.Option("--revision", "-r", help="Control-plane revision (Helm's revision "
                                              "value).")]
Charts = Annotated[str | None, typer.Option("--charts", help="A directory of Istio's charts (folders or .tgz, "
                                            "e.g. an Istio release's manifests/charts); no download.")]
ChartVersion = Annotated[str, typer.Option("--version", help="Istio release whose charts are used when --charts is "
                                           f"not given (default {ISTIO_VERSION}), downloaded once into "
                                           "$XDG_CACHE_HOME/meshctl/charts/<version>/.", show_default=False)]
Repo = Annotated[str, typer.Option("--repo", help="The Helm repository charts are downloaded from (default: "
                                   "Istio's, https://istio-release.storage.googleapis.com/charts).",
                                   show_default=False)]
Yes = Annotated[bool, typer.Option("--skip-confirmation", "-y", help="Do not ask for confirmation.")]
#: ``manifest generate`` prints Kubernetes manifests: YAML documents or a JSON List.
MANIFEST_FORMATS = ("yaml", "json")
ManifestOutput = Annotated[str, o.output_option(MANIFEST_FORMATS)]
Output = Annotated[str, o.output_option(o.TABLE_FORMATS, "table shows progress lines; json and yaml a list of "
                                        "{kind, namespace, name, action}.")]
UninstallOutput = Annotated[str, o.output_option(o.TABLE_FORMATS, "json and yaml: a list of {kind, namespace, "
                                                 "name, action}: deleted, already-gone or would-delete.")]


def _request(profile: str | None, sets: list[str] | None, files: list[str] | None, revision: str | None,
             charts: str | None, version: str | None, repo: str | None, **extra: Any) -> InstallRequest:
    from meshctl.install.usecase import InstallRequest

    more: dict[str, Any] = {"version": version} if version else {}
    if repo:
        more["repo"] = repo
    return InstallRequest(profile=profile, sets=tuple(sets or ()), files=tuple(files or ()), revision=revision,
                          charts_dir=charts, **more, **extra)


@manifest_app.callback()
def manifest() -> None:
    """Generate install manifests."""


@manifest_app.command("generate")
def generate(
    profile: Profile = None,
    set_: Set = None,
    filename: Overlay = None,
    revision: Revision = None,
    charts: Charts = None,
    version: ChartVersion = "",
    repo: Repo = "",
    output: ManifestOutput = "yaml",
    timeout: o.Timeout = 30.0,
) -> None:
    """Print Istio's charts as Helm renders them for the configuration (no cluster needed)."""
    o.output_format(output, MANIFEST_FORMATS)
    from meshctl.install.manifest import render
    from meshctl.install.usecase import generate as run

    rendered = run(_request(profile, set_, filename, revision, charts, version, repo))
    for text in rendered.notes:
        note(text)
    emit(render(rendered.objects, output))


def _confirm(question: str, yes: bool) -> None:
    """Ask on a terminal; without one, -y is required."""
    if yes:
        return
    if not sys.stdin.isatty():
        raise UsageError("confirmation needed but stdin is not a terminal; pass -y to proceed")
    if not typer.confirm(question, default=False, err=True):
        raise MeshctlError("cancelled; nothing was changed")


def _precheck(cfg: InstallConfig, cluster: Any) -> None:
    """Run meshctl's prechecks; findings at Error stop the install (exit 79)."""
    from meshctl.precheck.model import PROFILES, PrecheckRequest
    from meshctl.precheck.runner import run_prechecks

    profile = cfg.profile if cfg.profile in PROFILES else "default"
    result = run_prechecks(cluster, PrecheckRequest(profile=profile, revision=cfg.revision or None,
                                                    istio_namespace=cfg.namespace))
    if result.exit_code != ExitCode.OK:
        from meshctl.report import renderer

        sys.stderr.write(renderer("log")(result))
        raise MeshctlError("precheck found problems; fix them or pass --skip-precheck", ExitCode.FINDINGS)


@contextmanager
def _reporter(total: int, color: bool, lines: bool = True) -> Iterator[Callable[[str, dict[str, Any]], None]]:
    """A rich progress bar on a terminal, plain ``outcome Kind ns/name`` lines otherwise (if ``lines``)."""
    from meshctl.install.manifest import describe

    if not sys.stderr.isatty():
        def line(outcome: str, obj: dict[str, Any]) -> None:
            if lines and outcome != "kept":  # kept objects are listed with their reason at the end
                emit(f"{outcome} {describe(obj)}\n")

        yield line
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = Console(stderr=True, no_color=not color)
    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console,
                   transient=True)
    task = bar.add_task("Installing", total=total or None)
    started = False

    def show(outcome: str, obj: dict[str, Any]) -> None:
        nonlocal started
        if not started:  # only once writing begins: the confirmation prompt comes before
            bar.start()
            started = True
        if outcome == "waiting":
            bar.update(task, description="Waiting for CRDs to be Established")
            return
        bar.update(task, advance=1, description=f"{outcome} {describe(obj)}")

    try:
        yield show
    finally:
        if started:
            bar.stop()


def _print_dry_run(lines: list[str]) -> None:
    """A client dry run: one line per object, then how many, and that nothing changed."""
    for line in lines:
        emit(f"{line}\n")
    emit(f"{len(lines)} objects; dry run, nothing was changed\n")


def _print_plan(objects: list[dict[str, Any]], verb: str) -> None:
    from meshctl.install.manifest import describe

    _print_dry_run([f"{verb} {describe(obj)}" for obj in objects])


def _emit_rows(rows: list[dict[str, Any]], output: str) -> None:
    from meshctl.report.data import render_data

    emit(render_data(rows, output))


@app.callback()
def install(
    ctx: typer.Context,
    profile: Profile = None,
    set_: Set = None,
    filename: Overlay = None,
    revision: Revision = None,
    charts: Charts = None,
    version: ChartVersion = "",
    repo: Repo = "",
    force: Annotated[bool, typer.Option("--force", help="Replace CRDs that are newer or managed by another tool, "
                                        "and take over existing objects meshctl did not install.")] = False,
    yes: Yes = False,
    dry_run: o.DryRun = None,
    skip_precheck: Annotated[bool, typer.Option("--skip-precheck", help="Do not run prechecks first.")] = False,
    no_wait: Annotated[bool, typer.Option("--no-wait", help="Do not wait for workloads to be ready.")] = False,
    output: Output = "table",
    timeout: o.Timeout = 300.0,
    kubeconfig: o.Kubeconfig = None,
    context: o.Context = None,
    verbose: o.Verbose = False,
) -> None:
    """Install or upgrade: render Istio's charts, precheck, confirm, apply CRDs first, prune, record, wait."""
    if ctx.invoked_subcommand:
        return
    from meshctl.install import usecase
    from meshctl.install.results import apply_rows, object_row

    table = o.table_format(output) == "table"
    mode = o.dry_run_mode(dry_run)
    req = _request(profile, set_, filename, revision, charts, version, repo, force=force,
                   server_dry_run=mode == "server", wait=not no_wait and not mode, timeout=timeout)
    if mode == "client":
        objects = usecase.generate(req).objects
        if table:
            _print_plan(objects, "would apply")
        else:
            _emit_rows([object_row(obj, "would-apply") for obj in objects], output)
        return
    from meshctl.sources.cluster import client as connect

    cluster = o.cluster_options(kubeconfig, context, timeout, verbose)
    client = connect(cluster)
    gate = None if skip_precheck else (lambda cfg: _precheck(cfg, cluster))
    with _reporter(0, o.colors_enabled(), lines=table) as notify:
        result = usecase.install(req, client, lambda q: _confirm(q, yes), notify, precheck=gate)
    report = result.report
    for text in result.notes:
        note(text)
    if not result.objects:
        if table:
            emit("the configuration installs nothing\n")
        else:
            _emit_rows([], output)
        return
    kept = [(report.reasons.get(i, ""), obj) for i, (what, obj) in enumerate(report.outcomes) if what == "kept"]
    summary = (f"{len(result.objects)} objects: {report.count('created')} created, {report.count('configured')} "
               f"configured, {report.count('unchanged')} unchanged, {len(kept)} kept, {len(result.pruned)} pruned"
               f"{' (server dry run)' if mode else ''}")
    from meshctl.install.manifest import describe

    for reason, obj in kept:
        (emit if table else note)(f"kept {describe(obj)}: {reason}" + ("\n" if table else ""))
    if table:
        emit(summary + "\n")
        if result.ready:
            emit("control plane ready\n")
    else:
        rows = apply_rows(report.outcomes, dry_run=mode == "server")
        rows += [object_row(obj, "would-prune" if mode else "pruned") for obj in result.pruned]
        _emit_rows(rows, output)
        note(summary)


def verify_install(
    profile: Profile = None,
    set_: Set = None,
    filename: Overlay = None,
    revision: Revision = None,
    charts: Charts = None,
    version: ChartVersion = "",
    repo: Repo = "",
    istio_namespace: o.IstioNamespace = "istio-system",
    output: FindingsOutput = "log",
    kubeconfig: o.Kubeconfig = None,
    context: o.Context = None,
    timeout: o.Timeout = 30.0,
    verbose: o.Verbose = False,
) -> None:
    """Compare the cluster with the recorded install (or the configuration given): missing, drifted, unready."""
    from meshctl.analysis.result import Result, finalize
    from meshctl.install import usecase
    from meshctl.report import renderer
    from meshctl.sources.cluster import client

    render = renderer(output)
    req = _request(profile, set_, filename, revision, charts, version, repo)
    messages, checked = usecase.verify(client(o.cluster_options(kubeconfig, context, timeout, verbose)), req,
                                       istio_namespace)
    result = Result(finalize(messages))
    emit(render(result))
    if not result.messages and output == "log":
        note(f"verified {checked} objects of revision {revision or 'default'} in {istio_namespace}")
    raise typer.Exit(int(result.exit_code))


def uninstall(
    revision: Revision = None,
    purge: Annotated[bool, typer.Option("--purge", help="Also delete the CRDs the release installed (and so every "
                                        "Istio custom resource); not with --revision.")] = False,
    yes: Yes = False,
    dry_run: o.DryRun = None,
    output: UninstallOutput = "table",
    istio_namespace: o.IstioNamespace = "istio-system",
    kubeconfig: o.Kubeconfig = None,
    context: o.Context = None,
    timeout: o.Timeout = 120.0,
    verbose: o.Verbose = False,
) -> None:
    """Delete what the recorded install of a revision created, in reverse order; nothing else."""
    from meshctl.install import usecase
    from meshctl.install.manifest import describe
    from meshctl.install.results import object_row
    from meshctl.sources.cluster import client as connect

    table = o.table_format(output) == "table"
    mode = o.dry_run_mode(dry_run)
    client = connect(o.cluster_options(kubeconfig, context, timeout, verbose))
    rows: list[dict[str, Any]] = []

    def done(what: str, obj: dict[str, Any]) -> None:
        rows.append(object_row(obj, what.replace(" ", "-")))
        if table:
            emit(f"{what} {describe(obj)}\n")

    result = usecase.uninstall(client, istio_namespace, revision, purge, bool(mode), lambda q: _confirm(q, yes), done)
    if not result.found:
        if table:
            emit(f"nothing installed by meshctl for revision {revision or 'default'} in {istio_namespace}\n")
        else:
            _emit_rows([], output)
        return
    if result.namespace_kept:
        note(f"namespace {istio_namespace} is kept: {result.namespace_kept}")
    if mode:
        to = f" to release {result.heir}"
        if table:
            _print_dry_run([f"would delete {describe(obj)}" for obj in result.doomed]
                           + [f"would hand over {describe(obj)}{to}" for obj in result.handed])
        else:
            _emit_rows([object_row(obj, "would-delete") for obj in result.doomed]
                       + [object_row(obj, "would-hand-over") for obj in result.handed], output)
        return
    if table:
        emit(f"{result.deleted} objects deleted\n")
    else:
        _emit_rows(rows, output)
