"""The command tree: which module implements each command, built lazily.

typer builds a click command by inspecting every parameter of every function, which
costs time proportional to the whole CLI. The root group here builds only the command
that is invoked (``--help`` builds them all), so ``meshctl version`` stays fast.
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import Any, NamedTuple

import typer
from typer.core import TyperGroup

from meshctl.cli.coercion import install as install_plain_coercion


class Entry(NamedTuple):
    """Where a command lives: a module attribute that is a function or a typer.Typer."""

    module: str
    attr: str
    hidden: bool = False


COMMANDS: dict[str, Entry] = {
    "analyze": Entry("meshctl.cli.analyze", "analyze"),
    "inject": Entry("meshctl.cli.inject", "app"),
    "kube-inject": Entry("meshctl.cli.inject", "kube_inject"),
    "check-inject": Entry("meshctl.cli.inject", "check_inject"),
    "precheck": Entry("meshctl.cli.precheck", "precheck"),
    "proxy-config": Entry("meshctl.cli.proxy_config", "app"),
    "pc": Entry("meshctl.cli.proxy_config", "app", hidden=True),
    "ztunnel-config": Entry("meshctl.cli.ztunnel_config", "app"),
    "zc": Entry("meshctl.cli.ztunnel_config", "app", hidden=True),
    "proxy-status": Entry("meshctl.cli.proxy_status", "proxy_status"),
    "ps": Entry("meshctl.cli.proxy_status", "proxy_status", hidden=True),
    "describe": Entry("meshctl.cli.describe", "describe"),
    "install": Entry("meshctl.cli.install", "app"),
    "manifest": Entry("meshctl.cli.install", "manifest_app"),
    "verify-install": Entry("meshctl.cli.install", "verify_install"),
    "uninstall": Entry("meshctl.cli.install", "uninstall"),
    "version": Entry("meshctl.cli.version", "version"),
    "completion": Entry("meshctl.cli.completion", "completion"),
}


@cache
def build_command(name: str) -> Any:
    """The click command for a top-level name, built on first use."""
    entry = COMMANDS[name]
    target = getattr(importlib.import_module(entry.module), entry.attr)
    if not isinstance(target, typer.Typer):
        holder = typer.Typer(rich_markup_mode=None, add_completion=False, pretty_exceptions_enable=False)
        holder.command(name)(target)
        target = holder
    target.rich_markup_mode = None  # plain help everywhere: same look, no rich import for --help
    target._add_completion = False  # completions come from `meshctl completion`
    command = _lazy_group(target) or typer.main.get_command(target)
    command.name = name
    command.hidden = entry.hidden
    return command


class LazySubcommands(TyperGroup):
    """A command group (``pc``, ``zc``, ``inject``) whose subcommands' parameters are built only for
    the subcommand asked for; listing them (``--help``, completion, an unknown name) builds all."""

    infos: dict[str, Any]
    settings: dict[str, Any]

    def _build(self, name: str) -> None:
        if name not in self.commands:
            self.commands[name] = typer.main.get_command_from_info(self.infos[name], **self.settings)

    def _build_all(self) -> None:
        for name in self.infos:
            self._build(name)
        ordered = {name: self.commands[name] for name in self.infos}
        self.commands.clear()
        self.commands.update(ordered)

    def list_commands(self, ctx: Any) -> list[str]:
        """Subcommand names in declaration order (each built)."""
        self._build_all()
        return super().list_commands(ctx)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """The subcommand; for an unknown name every one is built (typer suggests from them)."""
        if cmd_name in self.infos:
            self._build(cmd_name)
        else:
            self._build_all()
        return super().get_command(ctx, cmd_name)


def _lazy_group(target: typer.Typer) -> LazySubcommands | None:
    """The group of a Typer holding only plain commands, each built on first use; None otherwise."""
    infos = target.registered_commands
    if len(infos) < 2 or target.registered_callback or target.info.callback or target.registered_groups:
        return None
    names = [info.name or (info.callback and typer.main.get_command_name(info.callback.__name__)) for info in infos]
    if not all(names) or len(set(names)) != len(names):
        return None
    target.registered_commands = []
    try:
        group = typer.main.get_group(target)
    finally:
        target.registered_commands = infos
    if type(group) is not TyperGroup:
        return None
    group.__class__ = LazySubcommands
    assert isinstance(group, LazySubcommands)
    group.infos = dict(zip(names, infos, strict=True))  # type: ignore[arg-type]
    group.settings = {"pretty_exceptions_short": target.pretty_exceptions_short,
                      "rich_markup_mode": target.rich_markup_mode}
    return group


class LazyGroup(TyperGroup):
    """A root group whose subcommands are imported and built only when asked for."""

    def list_commands(self, ctx: Any) -> list[str]:
        """Command names in declaration order."""
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """The command, or None for an unknown name."""
        return build_command(cmd_name) if cmd_name in COMMANDS else None

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The command list of ``--help`` from docstrings, without building every command."""
        from meshctl.cli.summaries import summary  # generated one-liners: no command imported for --help

        rows = [(name, summary(name)) for name, entry in COMMANDS.items() if not entry.hidden]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def short_help(name: str) -> str:
    """The first sentence of a command's help, read from its function or typer app."""
    entry = COMMANDS[name]
    target = getattr(importlib.import_module(entry.module), entry.attr)
    if isinstance(target, typer.Typer):
        text = target.info.help or (target.registered_callback.callback.__doc__
                                    if target.registered_callback and target.registered_callback.callback else "")
    else:
        text = target.__doc__ or ""
    first = " ".join(str(text or "").split())
    return first.split(". ")[0].rstrip(".") + "." if first else ""


install_plain_coercion()  # option values of plain types without typer's pydantic adapters
app = LazyGroup(
    name="meshctl",
    help="Administer an Istio service mesh: analyze, inject, precheck, proxy-config, install.",
    epilog="Every command also accepts --no-color, --debug and --max-input-size SIZE (default 1Gi per input), "
           "and has a deadline (--timeout, e.g. 30s or 5m). Limits: docs/limits.md.",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_BOOL_FLAGS = ("--use-kube",)
#: Flags every command accepts, wherever they appear; they set the run's Environment.
GLOBAL_FLAGS = ("--no-color", "--debug")
GLOBAL_VALUE_FLAGS = ("--max-input-size",)


class Invocation:
    """The command line after one pass: the arguments for click, and the global settings."""

    __slots__ = ("args", "no_color", "debug", "max_input_size")

    def __init__(self, args: list[str]) -> None:
        self.args = args
        self.no_color = False
        self.debug = False
        self.max_input_size: str | None = None


def split_argv(argv: list[str]) -> Invocation:
    """One pass over argv: take out --no-color, --debug and --max-input-size (anywhere, before a
    ``--``), and accept istioctl's ``--use-kube=false`` spelling and a bare ``--dry-run``."""
    out = Invocation([])
    index = 0
    while index < len(argv):
        arg = argv[index]
        index += 1
        if arg == "--":
            out.args.extend(argv[index - 1:])
            break
        if arg in GLOBAL_FLAGS:
            setattr(out, arg[2:].replace("-", "_"), True)
            continue
        flag, sep, value = arg.partition("=")
        if flag in GLOBAL_VALUE_FLAGS:
            if not sep:
                value = argv[index] if index < len(argv) else ""
                index += 1
            out.max_input_size = value
            continue
        if arg == "--dry-run" and (index == len(argv) or argv[index] not in ("client", "server", "none")):
            out.args.append("--dry-run=client")
            continue
        if sep and flag in _BOOL_FLAGS and value.lower() in ("true", "false", "1", "0"):
            arg = flag if value.lower() in ("true", "1") else "--no-" + flag[2:]
        out.args.append(arg)
    return out
