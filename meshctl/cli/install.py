"""``meshctl install``, ``manifest generate``, ``verify-install`` and ``uninstall``."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any

import typer

from meshctl.cli import options as o
from meshctl.cli.output import emit, note
from meshctl.errors import ExitCode, MeshctlError, UsageError

if TYPE_CHECKING:
    from meshctl.install.config import InstallConfig

app = typer.Typer(help="Install the Istio control plane (server-side apply, idempotent).",
                  invoke_without_command=True)
manifest_app = typer.Typer(help="Generate install manifests.", no_args_is_help=True)

Profile = Annotated[str | None, typer.Option("--profile", "-p", help="Profile: default, demo, minimal, "
                                             "empty, ambient, remote.", show_default=False)]
Set = Annotated[list[str] | None, typer.Option(
    "--set", "-s", help="Override a setting: path=value (e.g. values.pilot.autoscaleEnabled=false, "
    "hub=..., tag=...). Repeatable.")]
Overlay = Annotated[list[str] | None, typer.Option(
    "--filename", "-f", help="IstioOperator overlay file (- for stdin). Repeatable.")]
Revision = Annotated[str | None, typer.Option("--revision", "-r", help="Control-plane revision.")]
Yes = Annotated[bool, typer.Option("--skip-confirmation", "-y", help="Do not ask for confirmation.")]


def _config(profile: str | None, sets: list[str] | None, files: list[str] | None,
            revision: str | None) -> InstallConfig:
    from meshctl.install.config import build_config

    return build_config(profile, files or [], sets or [], revision)


def _objects(cfg: InstallConfig) -> list[dict[str, Any]]:
    from meshctl.install.manifest import build

    return build(cfg)


@manifest_app.callback()
def manifest() -> None:
    """Generate install manifests."""


@manifest_app.command("generate")
def generate(
    profile: Profile = None,
    set_: Set = None,
    filename: Overlay = None,
    revision: Revision = None,
    output: Annotated[str, typer.Option("--output", "-o", help="yaml or json.")] = "yaml",
    debug: o.Debug = False,
) -> None:
    """Print the install manifest (deterministic: same input, same bytes)."""
    from meshctl.install.manifest import FORMATS, render

    if output not in FORMATS:
        raise UsageError(f"unknown output format {output!r}; use yaml or json")
    emit(render(_objects(_config(profile, set_, filename, revision)), output))


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
    from meshctl.precheck.model import PrecheckRequest
    from meshctl.precheck.runner import run_prechecks

    result = run_prechecks(cluster, PrecheckRequest(profile=cfg.profile, revision=cfg.revision or None,
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
        yield (lambda outcome, obj: emit(f"{outcome} {describe(obj)}\n")) if lines else (lambda outcome, obj: None)
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = Console(stderr=True, no_color=not color)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task("Installing", total=total)

        def show(outcome: str, obj: dict[str, Any]) -> None:
            if outcome == "waiting":
                bar.update(task, description="Waiting for CRDs to be Established")
                return
            bar.update(task, advance=1, description=f"{outcome} {describe(obj)}")

        yield show


def _print_dry_run(lines: list[str]) -> None:
    """A client dry run: one line per object, then how many, and that nothing changed."""
    for line in lines:
        emit(f"{line}\n")
    emit(f"{len(lines)} objects; dry run, nothing was changed\n")


def _print_plan(objects: list[dict[str, Any]], verb: str) -> None:
    from meshctl.install.manifest import describe, phase_of

    _print_dry_run([f"{verb} [{phase_of(obj)}] {describe(obj)}" for obj in objects])


Output = Annotated[str, typer.Option("--output", "-o", help="table (progress lines), json or yaml (a list of "
                                     "{kind, namespace, name, action}).")]


def _emit_rows(rows: list[dict[str, Any]], output: str) -> None:
    from meshctl.report.structured import render_data

    emit(render_data(rows, output))


@app.callback()
def install(
    ctx: typer.Context,
    profile: Profile = None,
    set_: Set = None,
    filename: Overlay = None,
    revision: Revision = None,
    yes: Yes = False,
    dry_run: o.DryRun = None,
    skip_precheck: Annotated[bool, typer.Option("--skip-precheck", help="Do not run prechecks first.")] = False,
    no_wait: Annotated[bool, typer.Option("--no-wait", help="Do not wait for workloads to be ready.")] = False,
    output: Output = "table",
    timeout: o.Timeout = 300.0,
    kubeconfig: o.Kubeconfig = None,
    context: o.Context = None,
    verbose: o.Verbose = False,
    no_color: o.NoColor = False,
    debug: o.Debug = False,
) -> None:
    """Install (or update) the control plane: precheck, confirm, apply in order, wait until ready."""
    if ctx.invoked_subcommand:
        return
    table = o.table_format(output) == "table"
    mode = o.dry_run_mode(dry_run)
    cfg = _config(profile, set_, filename, revision)
    objects = _objects(cfg)
    if not objects:
        if table:
            emit("the configuration installs nothing\n")
        else:
            _emit_rows([], output)
        return
    from meshctl.install.results import apply_rows, object_row

    if mode == "client":
        if table:
            _print_plan(objects, "would apply")
        else:
            _emit_rows([object_row(obj, "would-apply") for obj in objects], output)
        return
    from meshctl.cluster.client import get_client
    from meshctl.install import apply, readiness

    cluster = o.cluster_options(kubeconfig, context, timeout, verbose)
    if not skip_precheck:
        _precheck(cfg, cluster)
    _confirm(f"Install profile {cfg.profile!r} (revision {cfg.rev_label}, {len(objects)} objects)?", yes)
    client = get_client(cluster)
    with _reporter(len(objects), o.colors_enabled(no_color), lines=table) as notify:
        report = apply.install(client, objects, notify, crd_timeout=timeout, dry_run=mode == "server")
    summary = (f"{len(objects)} objects: {report.count('created')} created, {report.count('configured')} "
               f"configured, {report.count('unchanged')} unchanged{' (server dry run)' if mode else ''}")
    if table:
        emit(summary + "\n")
    else:  # what was applied is the result; readiness, if waited for, is only the exit status
        _emit_rows(apply_rows(report.outcomes, dry_run=mode == "server"), output)
        note(summary)
    if no_wait or mode:
        return
    # Stop polling a little before the client's own deadline, so the error names the stragglers;
    # the error names the --timeout the user set, not what was left of it.
    left = max(0.0, client.deadline.remaining() - min(2.0, timeout / 4))
    readiness.wait_ready(lambda obj: apply.fetch(client, obj), objects, left, on_wait=note, reported=timeout)
    if table:
        emit("control plane ready\n")
    else:
        note("control plane ready")


def verify_install(
    profile: Profile = None,
    set_: Set = None,
    filename: Overlay = None,
    revision: Revision = None,
    output: Annotated[str, typer.Option("--output", "-o", help="log, table, json, yaml, sarif, junit.")] = "log",
    kubeconfig: o.Kubeconfig = None,
    context: o.Context = None,
    timeout: o.Timeout = 30.0,
    verbose: o.Verbose = False,
    debug: o.Debug = False,
) -> None:
    """Compare the cluster with the install manifest: missing, drifted or unready objects (exit 79)."""
    from meshctl.analysis.result import Result, finalize
    from meshctl.install import apply, verify
    from meshctl.install.uninstall import OWNED_KINDS
    from meshctl.report import renderer

    render = renderer(output)
    cfg = _config(profile, set_, filename, revision)
    objects = _objects(cfg)
    client = o.cluster_client(kubeconfig, context, timeout, verbose)
    live = verify.gather(lambda obj: apply.fetch(client, obj), objects)
    selector = f"app.kubernetes.io/managed-by=meshctl,install.meshctl.io/revision={cfg.rev_label}"
    labelled = [obj for key in OWNED_KINDS for obj in client.list(key, label_selector=selector)]
    result = Result(finalize(verify.compare(objects, live, labelled, cfg.rev_label)))
    emit(render(result))
    if not result.messages and output == "log":
        note(f"verified {len(objects)} objects of profile {cfg.profile!r} (revision {cfg.rev_label})")
    raise typer.Exit(int(result.exit_code))


def uninstall(
    revision: Revision = None,
    purge: Annotated[bool, typer.Option("--purge", help="Also delete meshctl's CRDs (and so every "
                                        "Istio custom resource).")] = False,
    yes: Yes = False,
    dry_run: o.DryRun = None,
    output: Annotated[str, typer.Option("--output", "-o", help="table, json or yaml (a list of {kind, namespace, "
                                        "name, action}: deleted, already-gone or would-delete).")] = "table",
    istio_namespace: o.IstioNamespace = "istio-system",
    kubeconfig: o.Kubeconfig = None,
    context: o.Context = None,
    timeout: o.Timeout = 120.0,
    verbose: o.Verbose = False,
    debug: o.Debug = False,
) -> None:
    """Delete what meshctl installed for a revision, in reverse order (user objects are never touched)."""
    from meshctl.install import manifest
    from meshctl.install import uninstall as core
    from meshctl.install.results import object_row

    table = o.table_format(output) == "table"
    mode = o.dry_run_mode(dry_run)
    rev = revision or "default"
    client = o.cluster_client(kubeconfig, context, timeout, verbose)
    doomed = core.plan(core.discover(client, rev, istio_namespace), purge)
    if not doomed:
        if table:
            emit(f"nothing installed by meshctl for revision {rev}\n")
        else:
            _emit_rows([], output)
        return
    if mode:
        if table:
            _print_dry_run([f"would delete {manifest.describe(obj)}" for obj in doomed])
        else:
            _emit_rows([object_row(obj, "would-delete") for obj in doomed], output)
        return
    _confirm(f"Delete {len(doomed)} objects installed by meshctl for revision {rev}?", yes)
    rows: list[dict[str, Any]] = []

    def done(what: str, obj: dict[str, Any]) -> None:
        rows.append(object_row(obj, what.replace(" ", "-")))
        if table:
            emit(f"{what} {manifest.describe(obj)}\n")

    deleted = core.execute(client, doomed, done)
    if table:
        emit(f"{deleted} objects deleted\n")
    else:
        _emit_rows(rows, output)
