"""Options of ``meshctl proxy-config``'s subcommands, declared once (as :mod:`meshctl.cli.options` does for all)."""

from __future__ import annotations

import inspect
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NamedTuple

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
#: ``-o`` values of most subcommands: Envoy's own objects (json, yaml, as istioctl prints them) or meshctl's rows.
FORMATS = ("table", "json", "yaml", "rows-json", "rows-yaml")
#: ``-o`` values of the subcommands that show Envoy's objects only (dump, diff).
PLAIN_FORMATS = ("table", "json", "yaml")


def _output(formats: tuple[str, ...]) -> Any:
    """The ``-o`` annotation of a subcommand accepting ``formats`` (the one definition, options.output_option)."""
    about = "json and yaml: Envoy's objects as istioctl prints them"
    if "rows-json" in formats:
        about += "; rows-json and rows-yaml: the rows"
    if "short" in formats:
        about += "; short: the Istio and Envoy versions"
    return Annotated[str, o.output_option(formats, about + ".")]
Port = Annotated[int, typer.Option("--port", help="Only this port.")]
Address = Annotated[str, typer.Option("--address", help="Only this address.")]


class Shared(NamedTuple):
    """The values of the options every subcommand shares (change one with ``_replace``)."""

    target: str | None
    admin_url: str | None
    file: str | None
    output: str
    namespace: str | None
    admin_port: int
    kubeconfig: str | None
    context: str | None
    timeout: float
    #: The ``-o`` values this subcommand accepts.
    formats: tuple[str, ...] = FORMATS


def _param(name: str, annotation: Any, default: Any, kind: Any = inspect.Parameter.POSITIONAL_OR_KEYWORD) -> Any:
    return inspect.Parameter(name, kind, default=default, annotation=annotation)


#: The target (before a subcommand's own options) and the rest (after them), in the order --help lists them.
_TARGET = (_param("target", TargetArg, None), _param("admin_url", AdminUrl, None), _param("file", DumpFile, None))
_REST = (
    _param("namespace", o.Namespace, None),
    _param("admin_port", AdminPort, 15000),
    _param("kubeconfig", o.Kubeconfig, None),
    _param("context", o.Context, None),
    _param("timeout", o.Timeout, 10.0),
)


def shared_options(target: bool = True, formats: tuple[str, ...] = FORMATS
                   ) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Give a subcommand the shared options: TARGET, --admin-url and --file first (with ``target``), its own
    options next, then -o, -n, --proxy-admin-port, --kubeconfig, --context and --timeout.

    The command takes them as a :class:`Shared` in its first parameter (--debug and --no-color are global);
    ``-o`` accepts ``formats`` (:func:`source` checks it).
    """

    def decorate(command: Callable[..., None]) -> Callable[..., None]:
        own = list(inspect.signature(command, eval_str=True).parameters.values())[1:]
        params = [*(_TARGET if target else ()), *own, _param("output", _output(formats), "table"), *_REST]
        names = [p.name for p in params]

        def wrapper(*args: Any, **kwargs: Any) -> None:
            values = dict(zip(names, args, strict=False), **kwargs)
            shared = Shared(**{k: values.pop(k, None) for k in Shared._fields if k != "formats"},
                            formats=formats)
            with dump_shapes_checked():
                command(shared, **values)

        wrapper.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in params}
        for attr in ("__name__", "__qualname__", "__doc__", "__module__"):
            setattr(wrapper, attr, getattr(command, attr))
        return wrapper

    return decorate


@contextmanager
def dump_shapes_checked() -> Iterator[None]:
    """Bad input (65), not an internal error, when the Envoy model (``meshctl/envoy``, whose only input
    is the dump) trips over a value of another type than Envoy's API gives that field (a list that is
    a number, say): the dump is not what Envoy writes."""
    from meshctl.errors import InputError

    try:
        yield
    except (TypeError, AttributeError) as exc:
        frames = traceback.extract_tb(exc.__traceback__)
        model_package = str(Path(__file__).resolve().parents[1] / "envoy")
        if not frames or not frames[-1].filename.startswith(model_package):
            raise
        where = Path(frames[-1].filename).stem
        raise InputError(f"the config dump has a value of a type Envoy does not write there ({where}: "
                         f"{type(exc).__name__}: {exc})") from None


class Source(NamedTuple):
    """Where a subcommand reads Envoy from, checked: the target and how to reach it."""

    target: Any
    admin_port: int
    timeout: float
    cluster: Any


def source(opts: Shared) -> Source:
    """The checked target of ``opts``; a UsageError for a bad ``-o``, ``--admin-url`` or target."""
    from meshctl.sources.envoy import parse_target

    o.output_format(opts.output, opts.formats)
    if opts.admin_url:
        check_admin_url(opts.admin_url)
    target = parse_target(opts.target, opts.admin_url, opts.file, opts.namespace)
    return Source(target, opts.admin_port, opts.timeout, o.cluster_options(opts.kubeconfig, opts.context,
                                                                           opts.timeout))


def check_admin_url(admin_url: str) -> None:
    """A usage error for a --admin-url that is not an http(s) URL with a host (and a valid port)."""
    from urllib.parse import urlsplit

    from meshctl.errors import UsageError

    url = admin_url if "://" in admin_url else f"http://{admin_url}"
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises on a port that is not a number in range
    except ValueError as exc:
        raise UsageError(f"invalid --admin-url {admin_url!r}: {exc}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"invalid --admin-url {admin_url!r}: expected http(s)://HOST[:PORT]")


def not_envoy(label: str, detail: str) -> Any:
    """What answered is not Envoy's admin API: the same one line, exit 65, for every subcommand."""
    from meshctl.errors import InputError

    detail = detail.removeprefix(label).removesuffix("; is this an Envoy admin port?").strip()
    return InputError(f"{label} does not look like an Envoy admin endpoint ({detail})")


def unrendered_error(label: str, keys: tuple[str, ...]) -> Any:
    """Envoy answered that it could not print these sections as JSON: exit 65, naming them."""
    from meshctl.errors import InputError
    from meshctl.sources.envoy import CONVERSION_FAILURE

    names = ", ".join(keys)
    return InputError(
        f"Envoy at {label} could not render its {names} section{'s' if len(keys) > 1 else ''} as JSON "
        f"(it answered {CONVERSION_FAILURE!r}; a resource of a type this Envoy cannot print, often a "
        "rejected config)"
    )


def read(src: Source, keys: tuple[str, ...] | None, include_eds: bool = False,
         keep: frozenset[str] | None = None) -> Any:
    """The :class:`~meshctl.sources.envoy.DumpRead` of ``keys`` (None: all) from the target.

    A section asked for by name that Envoy could not render is an error here; for a full read the caller
    decides (the rest is shown first).
    """
    from meshctl.sources.envoy import NotEnvoy, open_target, read_dump

    with open_target(src.target, src.cluster, src.admin_port, src.timeout) as reader:
        # Past this point a pod and its port-forward exist: a NotEnvoy is about what answered.
        try:
            got = read_dump(reader, keys, include_eds, keep)
        except NotEnvoy as exc:
            raise not_envoy(reader.label, str(exc)) from None
    if keys is not None and got.unrendered:
        raise unrendered_error(got.dump.origin, got.unrendered)
    return got


def read_clusters(src: Source) -> tuple[str, Any]:
    """(label, ``/clusters?format=json`` document) of a live target."""
    from meshctl.envoy.dump import parse_json
    from meshctl.sources.envoy import NotEnvoy, open_target

    with open_target(src.target, src.cluster, src.admin_port, src.timeout) as reader:
        try:
            text = reader.clusters_json() or "{}"
        except NotEnvoy as exc:
            raise not_envoy(reader.label, str(exc)) from None
        if not text.lstrip().startswith("{"):
            raise not_envoy(reader.label, "/clusters?format=json did not answer JSON")
        return reader.label, parse_json(text, f"{reader.label}/clusters")


def render(view: Any, output: str) -> str:
    """A view in ``output``: its table, Envoy's objects (json, yaml) or its rows (rows-json, rows-yaml)."""
    from meshctl.envoy.tables import render_rows

    if output == "table":
        return str(view.table)
    if output.startswith("rows-"):
        return render_rows(view.rows, output.removeprefix("rows-"))
    return render_rows(view.objects, output)


def read_target(target: Any, keys: tuple[str, ...], cluster: Any, admin_port: int, timeout: float) -> Any:
    """The dump of ``keys`` (those present) of an already parsed target; unrendered sections are an error."""
    return read(Source(target, admin_port, timeout, cluster), keys).dump
