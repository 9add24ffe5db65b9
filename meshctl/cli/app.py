"""The typer application: command groups wired together, nothing else."""

from __future__ import annotations

import typer

from meshctl.cli import analyze, completion, inject, install, precheck, proxy_config, version

app = typer.Typer(
    name="meshctl",
    help="Administer an Istio service mesh: analyze, inject, precheck, proxy-config, install.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

app.command("analyze")(analyze.analyze)
app.add_typer(inject.app, name="inject")
app.command("kube-inject")(inject.kube_inject)
app.command("check-inject")(inject.check_inject)
app.command("precheck")(precheck.precheck)
app.add_typer(proxy_config.app, name="proxy-config")
app.add_typer(proxy_config.app, name="pc", hidden=True)
app.add_typer(install.app, name="install")
app.add_typer(install.manifest_app, name="manifest")
app.command("verify-install")(install.verify_install)
app.command("uninstall")(install.uninstall)
app.command("version")(version.version)
app.command("completion")(completion.completion)

_BOOL_FLAGS = ("--use-kube",)


def normalize_argv(argv: list[str]) -> list[str]:
    """Accept istioctl's ``--use-kube=false`` spelling for boolean flags."""
    out = []
    for index, arg in enumerate(argv):
        if arg == "--dry-run" and (index + 1 == len(argv) or argv[index + 1] not in ("client", "server", "none")):
            out.append("--dry-run=client")
            continue
        flag, sep, value = arg.partition("=")
        if sep and flag in _BOOL_FLAGS and value.lower() in ("true", "false", "1", "0"):
            arg = flag if value.lower() in ("true", "1") else "--no-" + flag[2:]
        out.append(arg)
    return out
