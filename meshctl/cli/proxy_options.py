"""Options of ``meshctl proxy-config``'s subcommands, declared once (as :mod:`meshctl.cli.options` does for all)."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

import typer

from meshctl.cli import options as o

TargetArg = Annotated[
    str | None,
    typer.Argument(
        metavar="[POD[.NAMESPACE] | deploy/NAME[.NAMESPACE]]",
        help="Pod or deployment to port-forward to.",
        show_default=False,
    ),
]
AdminUrl = Annotated[
    str | None, typer.Option("--admin-url", help="Envoy admin API, e.g. http://127.0.0.1:15000.")
]
DumpFile = Annotated[
    str | None, typer.Option("--file", "-f", help="A saved config_dump JSON file, or - for stdin.")
]
AdminPort = Annotated[int, typer.Option("--proxy-admin-port", help="Envoy admin port in the pod.")]
Output = Annotated[str, typer.Option("--output", "-o", help="table, json or yaml.")]
Port = Annotated[int, typer.Option("--port", help="Only this port.")]
Address = Annotated[str, typer.Option("--address", help="Only this address.")]


@dataclass
class Shared:
    """The values of the options every subcommand shares."""

    target: str | None
    admin_url: str | None
    file: str | None
    output: str
    namespace: str | None
    admin_port: int
    kubeconfig: str | None
    context: str | None
    timeout: float


def _param(name: str, annotation: Any, default: Any, kind: Any = inspect.Parameter.POSITIONAL_OR_KEYWORD) -> Any:
    return inspect.Parameter(name, kind, default=default, annotation=annotation)


#: The target (before a subcommand's own options) and the rest (after them), in the order --help lists them.
_TARGET = (_param("target", TargetArg, None), _param("admin_url", AdminUrl, None), _param("file", DumpFile, None))
_REST = (
    _param("output", Output, "table"),
    _param("namespace", o.Namespace, None),
    _param("admin_port", AdminPort, 15000),
    _param("kubeconfig", o.Kubeconfig, None),
    _param("context", o.Context, None),
    _param("timeout", o.Timeout, 10.0),
    _param("debug", o.Debug, False),
)


def shared_options(target: bool = True) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Give a subcommand the shared options: TARGET, --admin-url and --file first (with ``target``), its own
    options next, then -o, -n, --proxy-admin-port, --kubeconfig, --context, --timeout and --debug.

    The command takes them as a :class:`Shared` in its first parameter; --debug is applied before it runs.
    """

    def decorate(command: Callable[..., None]) -> Callable[..., None]:
        own = list(inspect.signature(command, eval_str=True).parameters.values())[1:]
        params = [*(_TARGET if target else ()), *own, *_REST]
        names = [p.name for p in params]

        def wrapper(*args: Any, **kwargs: Any) -> None:
            values = dict(zip(names, args, strict=False), **kwargs)
            values.pop("debug", None)  # listed for --help; acts through meshctl.cli.app.global_flags
            shared = Shared(**{k: values.pop(k, None) for k in Shared.__dataclass_fields__})
            command(shared, **values)

        wrapper.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in params}
        for attr in ("__name__", "__qualname__", "__doc__", "__module__"):
            setattr(wrapper, attr, getattr(command, attr))
        return wrapper

    return decorate
