"""``meshctl precheck``: pre-install and pre-upgrade checks of the cluster, or of manifests (-f)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from meshctl.cli import options as o
from meshctl.cli.output import emit, note, progress
from meshctl.errors import UsageError

FORMATS = ("log", "table", "json", "yaml", "sarif", "junit")
PROFILES = ("default", "demo", "minimal", "ambient")


def _level(text: str, flag: str):  # type: ignore[no-untyped-def]
    from meshctl.catalogue import Level

    try:
        return Level.parse(text)
    except ValueError as exc:
        raise UsageError(f"{flag}: {exc}") from None


def _list(output: str) -> None:
    from meshctl.precheck.registry import all_checks
    from meshctl.precheck.render import render_list

    emit(render_list(all_checks(), output))


def _render(result, output: str, no_color: bool) -> str:  # type: ignore[no-untyped-def]
    """Grouped marks on a terminal for ``log``; otherwise the shared renderers."""
    from meshctl.precheck.registry import all_checks
    from meshctl.precheck.render import render_grouped, render_plain
    from meshctl.report import renderer

    if output != "log":
        return renderer(output)(result)
    if sys.stdout.isatty():
        return render_grouped(result, all_checks(), o.colors_enabled(no_color))
    return render_plain(result)


def precheck(
    filename: o.Filename = None,
    profile: Annotated[str, typer.Option("--profile", "-p",
                                         help=f"Profile to be installed: {', '.join(PROFILES)}.")] = "default",
    revision: Annotated[str | None, typer.Option("--revision", "-r",
                                                 help="Revision to be installed (canary upgrade).")] = None,
    from_version: Annotated[str | None, typer.Option(
        "--from-version", help="Istio version being upgraded from (default: what the cluster runs).")] = None,
    check: Annotated[list[str] | None, typer.Option(
        "--check", help="Run only these checks (see --list). Repeatable.")] = None,
    list_checks: Annotated[bool, typer.Option("--list", "-L", help="List checks and exit.")] = False,
    output: Annotated[str, typer.Option("--output", "-o", help=f"One of {', '.join(FORMATS)}.")] = "log",
    failure_threshold: Annotated[str, typer.Option(
        "--failure-threshold", help="Exit 79 when a message is at least this level.")] = "Error",
    output_threshold: Annotated[str, typer.Option(
        "--output-threshold", help="Show messages at least this level.")] = "Info",
    suppress: Annotated[list[str] | None, typer.Option(
        "--suppress", "-S", help="Hide messages: 'CODE=Kind ns/name' (globs). Repeatable.")] = None,
    ignore_unknown: Annotated[bool, typer.Option(
        "--ignore-unknown", help="Skip documents that cannot be parsed instead of failing.")] = False,
    istio_namespace: Annotated[str, typer.Option("--istioNamespace", "-i",
                                                 help="Istio's system namespace.")] = "istio-system",
    kubeconfig: o.Kubeconfig = None,
    context: o.Context = None,
    timeout: o.Timeout = 30.0,
    verbose: o.Verbose = False,
    no_color: o.NoColor = False,
    debug: o.Debug = False,
) -> None:
    """Check that Istio can be installed or upgraded: the cluster, or manifests with -f."""
    o.set_debug(debug)
    if output not in FORMATS:
        raise UsageError(f"unknown output format {output!r}; use one of {', '.join(FORMATS)}")
    if profile not in PROFILES:
        raise UsageError(f"unknown profile {profile!r}; use one of {', '.join(PROFILES)}")
    if list_checks:
        _list(output if output in ("json", "yaml") else "log")
        return
    from meshctl.precheck import PrecheckRequest, run_prechecks
    from meshctl.precheck.gather import kubectl_version

    req = PrecheckRequest(
        files=filename or [], profile=profile, revision=revision, from_version=from_version,
        istio_namespace=istio_namespace, checks=check or [], suppress=suppress or [],
        failure_threshold=_level(failure_threshold, "--failure-threshold"),
        output_threshold=_level(output_threshold, "--output-threshold"),
        ignore_unknown=ignore_unknown, client_version=kubectl_version,
    )
    with progress("Checking", o.colors_enabled(no_color)):
        result = run_prechecks(o.cluster_options(kubeconfig, context, timeout, verbose), req)
    if verbose:
        for name, why in sorted(result.skipped.items()):
            note(f"skipped {name}: {why}")
    emit(_render(result, output, no_color))
    raise typer.Exit(int(result.exit_code))
