"""Options shared by every command, spelled as kubectl and istioctl spell them."""

from __future__ import annotations

import re
from typing import Annotated, Any

import typer

from meshctl.cluster.options import ClusterOptions
from meshctl.report.data import DATA_FORMATS

Kubeconfig = Annotated[str | None, typer.Option("--kubeconfig", help="Path to the kubeconfig file.",
                                                  envvar=None, show_default=False)]
Context = Annotated[str | None, typer.Option("--context", help="The kubeconfig context to use.")]
Namespace = Annotated[str | None, typer.Option("--namespace", "-n", help="Namespace to act on.")]
AllNamespaces = Annotated[bool, typer.Option("--all-namespaces", "-A", help="Act on all namespaces.")]


def _timeout(value: Any) -> float:
    from meshctl.deadline import parse_timeout

    return parse_timeout(value)


def _arm_deadline(value: float) -> float:
    """The command's deadline is its --timeout (given or default), counted from the start of the run."""
    from meshctl.env import current

    current().deadline.reset(value, "--timeout")
    return value


Timeout = Annotated[float, typer.Option(
    "--timeout", help="Deadline for the whole command: seconds, or a duration such as 30s or 5m.",
    parser=_timeout, callback=_arm_deadline, metavar="DURATION")]
Verbose = Annotated[bool, typer.Option("--verbose", "-v", help="Say more about what happens.")]
# --no-color and --debug are global flags: app.split_argv takes them out of the command line for every
# command and sets the run's Environment (meshctl.env) from them; commands do not declare them.
IstioNamespace = Annotated[str, typer.Option("--istioNamespace", "-i", help="Istio's system namespace.")]
DryRun = Annotated[str | None, typer.Option(
    "--dry-run", help="Change nothing: 'client' (also bare --dry-run) shows the change, "
    "'server' sends dryRun=All.", show_default=False)]


def dry_run_mode(value: str | None) -> str | None:
    """Validate --dry-run: None, 'client' or 'server' ('none' means None)."""
    from meshctl.errors import UsageError

    if value in (None, "none"):
        return None
    if value not in ("client", "server"):
        raise UsageError(f"--dry-run must be client, server or none, not {value!r}")
    return value
def output_option(formats: tuple[str, ...], about: str = "") -> Any:
    """The one ``-o/--output`` option: ``Annotated[str, output_option(FORMATS)]``; ``about`` adds a sentence."""
    return typer.Option("--output", "-o", help=f"Output format: {', '.join(formats)}.{' ' + about if about else ''}")


def output_file_option(about: str) -> Any:
    """``-o`` as kube-inject spells it (as istioctl does): the file to write, not a format."""
    return typer.Option("--output-file", "-o", "--output", help=about)


def output_format(value: str, formats: tuple[str, ...]) -> str:
    """``value`` when it is one of ``formats``; else a UsageError naming them."""
    from meshctl.errors import UsageError

    if value not in formats:
        raise UsageError(f"unknown output format {value!r}; use one of {', '.join(formats)}")
    return value


TABLE_FORMATS = DATA_FORMATS
#: ``-o`` of commands whose results are plain data (rendered by ``meshctl.report.data``).
Output = Annotated[str, output_option(DATA_FORMATS)]
TableOutput = Output


def table_format(output: str) -> str:
    """Validate ``-o`` for commands whose results are a table, JSON or YAML."""
    return output_format(output, DATA_FORMATS)


def choice(value: str, allowed: tuple[str, ...], flag: str, ignore_case: bool = False) -> str:
    """``value`` when it is one of ``allowed`` (empty means "not given"); else a UsageError."""
    from meshctl.errors import UsageError

    if not value or value in allowed or (ignore_case and value.upper() in {a.upper() for a in allowed}):
        return value
    raise UsageError(f"{flag} must be {', '.join(allowed[:-1])} or {allowed[-1]}, not {value!r}")


_LABEL_VALUE = re.compile(r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?")


def label_value(value: str | None, flag: str) -> str | None:
    """``value`` when Kubernetes accepts it as a label value (at most 63 characters); else a UsageError."""
    from meshctl.errors import UsageError

    if value is None or (len(value) <= 63 and _LABEL_VALUE.fullmatch(value)):
        return value
    raise UsageError(f"{flag} {value!r} is not a valid label value: at most 63 characters, letters, digits, "
                     "'-', '_' or '.', starting and ending with a letter or digit")
Filename = Annotated[list[str] | None, typer.Option(
    "--filename", "-f", help="File, directory (recursive) or - for stdin. Repeatable.")]


def cluster_options(kubeconfig: str | None, context: str | None, timeout: float,
                    verbose: bool = False) -> ClusterOptions:
    """ClusterOptions from the parsed flags."""
    return ClusterOptions(kubeconfig=kubeconfig, context=context, timeout=timeout, verbose=verbose)


def colors_enabled(no_color: bool = False) -> bool:
    """Colours only on a TTY, and never with --no-color or NO_COLOR (see meshctl.env.Environment.color)."""
    from meshctl.env import current

    return not no_color and current().color

AllowPartial = Annotated[bool, typer.Option(
    "--allow-partial", help="When reads of the cluster fail, report what could be checked (the checks that "
    "did not run are listed) and exit as the findings say, instead of exit 1.")]
StrictAccess = Annotated[bool, typer.Option(
    "--strict-access", help="Fail (exit 1) when the user may not read something the checks need, instead "
    "of analysing what is readable.")]
