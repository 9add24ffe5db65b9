"""``meshctl precheck``: pre-install and pre-upgrade checks of the cluster, or of manifests (-f)."""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from meshctl.cli import findings as f
from meshctl.cli import options as o
from meshctl.cli.output import emit, note, progress
from meshctl.errors import UsageError
from meshctl.precheck.names import PROFILES

if TYPE_CHECKING:
    from meshctl.analysis.result import Result

_VERSION = re.compile(r"v?[0-9]+\.[0-9]+(\.[0-9]+)?")


def _list(output: str) -> None:
    from meshctl.precheck.registry import all_checks
    from meshctl.precheck.render import render_list

    emit(render_list(all_checks(), output))


def _render(result: Result, output: str) -> str:
    """Grouped marks on a terminal for ``log``; otherwise the shared renderers."""
    from meshctl.precheck.registry import all_checks
    from meshctl.precheck.render import render_grouped, render_plain
    from meshctl.report import renderer

    if output != "log":
        return renderer(output)(result)
    if sys.stdout.isatty():
        return render_grouped(result, all_checks(), o.colors_enabled())
    return render_plain(result)


def precheck(
    filename: o.Filename = None,
    profile: Annotated[str, typer.Option("--profile", "-p",
                                         help=f"Profile to be installed: {', '.join(PROFILES)}.")] = "default",
    revision: Annotated[str | None, typer.Option("--revision", "-r",
                                                 help="Revision to be installed (canary upgrade).")] = None,
    from_version: Annotated[str | None, typer.Option(
        "--from-version", help="Istio version being upgraded from, e.g. 1.27 or 1.27.3 (default: what the cluster "
        "runs).")] = None,
    check: Annotated[list[str] | None, typer.Option(
        "--check", help="Run only these checks (see --list). Repeatable.")] = None,
    list_checks: Annotated[bool, typer.Option("--list", "-L", help="List checks and exit.")] = False,
    output: f.Output = "log",
    failure_threshold: f.FailureThreshold = "Error",
    output_threshold: f.OutputThreshold = "Info",
    suppress: f.Suppress = None,
    ignore_unknown: f.IgnoreUnknown = False,
    allow_partial: o.AllowPartial = False,
    strict_access: o.StrictAccess = False,
    istio_namespace: o.IstioNamespace = "istio-system",
    kubeconfig: o.Kubeconfig = None,
    context: o.Context = None,
    timeout: o.Timeout = 30.0,
    verbose: o.Verbose = False,
) -> None:
    """Check that Istio can be installed or upgraded: the cluster, or manifests with -f."""
    f.check_format(output)
    if profile not in PROFILES:
        raise UsageError(f"unknown profile {profile!r}; use one of {', '.join(PROFILES)}")
    if from_version is not None and not _VERSION.fullmatch(from_version):
        raise UsageError(f"--from-version {from_version!r} is not a version like 1.27 or 1.27.3")
    if list_checks:
        _list(output if output in ("json", "yaml") else "log")
        return
    from meshctl.precheck import PrecheckRequest, run_prechecks
    from meshctl.precheck.gather import kubectl_version

    failing, shown = f.thresholds(failure_threshold, output_threshold)
    req = PrecheckRequest(
        files=filename or [], profile=profile, revision=revision, from_version=from_version,
        istio_namespace=istio_namespace, checks=check or [], suppress=suppress or [],
        failure_threshold=failing, output_threshold=shown,
        ignore_unknown=ignore_unknown, client_version=kubectl_version,
        allow_partial=allow_partial, strict_access=strict_access,
    )
    with progress("Checking", o.colors_enabled()):
        result = run_prechecks(o.cluster_options(kubeconfig, context, timeout, verbose), req)
    for line in result.notes:
        note(line)
    f.finish(result, lambda r: _render(r, output), verbose)
