"""``meshctl proxy-config`` (alias ``pc``): Envoy's configuration with version info."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Annotated, Any

import typer

from meshctl.cli import options as o
from meshctl.cli.output import emit, note
from meshctl.cli.proxy_options import Address, Port, Shared, shared_options
from meshctl.errors import InputError, UsageError

app = typer.Typer(
    help="Read Envoy's configuration from a pod, an admin URL or a saved config dump.", no_args_is_help=True
)

FORMATS = ("table", "json", "yaml")
DIRECTIONS = ("inbound", "outbound")
LISTENER_TYPES = ("HTTP", "TCP", "HTTP+TCP", "UNKNOWN")
#: Envoy's HealthStatus values (config.core.v3), as the STATUS column shows them.
HEALTH_STATUSES = ("HEALTHY", "UNHEALTHY", "DRAINING", "TIMEOUT", "DEGRADED", "UNKNOWN")


class _Ctx:
    """Target options shared by every subcommand."""

    def __init__(self, opts: Shared) -> None:
        from meshctl.sources.envoy import parse_target

        if opts.output not in FORMATS:
            raise UsageError(f"unknown output format {opts.output!r}; use one of {', '.join(FORMATS)}")
        if opts.admin_url:
            _check_admin_url(opts.admin_url)
        self.target = parse_target(opts.target, opts.admin_url, opts.file, opts.namespace)
        self.output = opts.output
        self.admin_port = opts.admin_port
        self.timeout = opts.timeout
        self.cluster = o.cluster_options(opts.kubeconfig, opts.context, opts.timeout)

    def fetch(
        self, dump: bool = True, include_eds: bool = False, live_clusters: bool = False
    ) -> tuple[str, str, str | None]:
        """(label, config dump text or "", /clusters JSON text or None)."""
        from meshctl.sources.envoy import NotEnvoy, open_target

        with open_target(self.target, self.cluster, self.admin_port, self.timeout) as reader:
            # Past this point a pod and its port-forward exist: a NotEnvoy is about what answered.
            try:
                text = reader.config_dump(include_eds) if dump else ""
                clusters = reader.clusters_json() if live_clusters else None
            except NotEnvoy as exc:
                raise not_envoy(reader.label, str(exc)) from None
            if clusters is not None and not clusters.lstrip().startswith("{"):
                raise not_envoy(reader.label, "/clusters?format=json did not answer JSON")
            return reader.label, text, clusters

    def load(self, keep: str, include_eds: bool = False) -> Any:
        """The parsed dump, keeping in full only what ``keep`` (a KEEP key) needs."""
        from meshctl.envoy.dump import KEEP, load

        label, text, _ = self.fetch(include_eds=include_eds)
        return load(text, label, KEEP[keep])


def not_envoy(label: str, detail: str) -> InputError:
    """What answered is not Envoy's admin API: the same one line, exit 65, for every subcommand."""
    detail = detail.removeprefix(label).removesuffix("; is this an Envoy admin port?").strip()
    return InputError(f"{label} does not look like an Envoy admin endpoint ({detail})")


def _check_admin_url(admin_url: str) -> None:
    """A usage error for a --admin-url that is not an http(s) URL with a host (and a valid port)."""
    from urllib.parse import urlsplit

    url = admin_url if "://" in admin_url else f"http://{admin_url}"
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises on a port that is not a number in range
    except ValueError as exc:
        raise UsageError(f"invalid --admin-url {admin_url!r}: {exc}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"invalid --admin-url {admin_url!r}: expected http(s)://HOST[:PORT]")


def _now() -> Any:
    from meshctl.envoy import clock

    return clock.now()


def _emit_rows(rows: Any, output: str, render_table: Any) -> None:
    from meshctl.envoy.tables import render_rows

    emit(render_table() if output == "table" else render_rows(rows, output))


@app.command("dump")
@shared_options()
def dump(
    opts: Shared,
    type_: Annotated[
        list[str] | None,
        typer.Option("--type", help="Only these sections (clusters, listeners, routes, ...). Repeatable."),
    ] = None,
    include_eds: Annotated[bool, typer.Option("--include-eds", help="Add endpoints (EDS).")] = False,
    stale_after: Annotated[
        str,
        typer.Option("--stale-after", help="Warn when a section's push lags the newest by more than this."),
    ] = "10m",
    stale_pushes: Annotated[
        int,
        typer.Option(
            "--stale-pushes", help="Warn when a section's push counter lags the newest by more than this."
        ),
    ] = 100,
) -> None:
    """Envoy's config dump: per section counts and version_info (time, #counter, age); -o json|yaml is raw."""
    from meshctl.analysis.durations import parse_duration
    from meshctl.envoy.dump import KEEP, from_document, normalize_type, parse_json, select_sections

    ctx = _Ctx(opts)
    for section in type_ or []:  # option values are checked before anything is read
        normalize_type(section)
    stale_age = parse_duration(stale_after, "--stale-after")
    label, text, _ = ctx.fetch(include_eds=include_eds)
    if opts.output != "table":
        from meshctl.envoy.tables import render_rows

        doc = parse_json(text, label)
        model = from_document(doc, label)
        if type_:
            keys = {s.key for s in select_sections(model, type_)}
            doc = {"configs": [s.raw for s in model.sections if s.key in keys]}
        from meshctl.envoy.redact import redact

        emit(render_rows(redact(doc), opts.output))
        return
    from meshctl.envoy.dump import load
    from meshctl.envoy.summary import render_summary, stale_warnings

    model = load(text, label, KEEP["summary"])
    sections = select_sections(model, type_ or [])
    for warning in stale_warnings(model.sections, stale_age, stale_pushes):
        note(f"Warning: {warning}")
    emit(render_summary(sections, _now()))


@app.command("clusters")
@shared_options()
def clusters(
    opts: Shared,
    fqdn: Annotated[str, typer.Option("--fqdn", help="Only clusters whose name contains this FQDN.")] = "",
    port: Port = 0,
    subset: Annotated[str, typer.Option("--subset", help="Only this subset.")] = "",
    direction: Annotated[str, typer.Option("--direction", help="inbound or outbound.")] = "",
) -> None:
    """Clusters with istioctl's columns (SERVICE FQDN, PORT, SUBSET, DIRECTION, TYPE, DESTINATION RULE)."""
    from meshctl.envoy.clusters import COLUMNS, ClusterFilter, cluster_rows
    from meshctl.envoy.tables import table

    ctx = _Ctx(opts)
    o.choice(direction, DIRECTIONS, "--direction")
    rows = cluster_rows(ctx.load("clusters"), ClusterFilter(fqdn, port, subset, direction))
    _emit_rows(rows, opts.output, lambda: table(rows, COLUMNS, 5))


@app.command("listeners")
@shared_options()
def listeners(
    opts: Shared,
    address: Address = "",
    port: Port = 0,
    type_: Annotated[str, typer.Option("--type", help="HTTP, TCP, HTTP+TCP or UNKNOWN.")] = "",
) -> None:
    """Listeners, one row per filter chain (ADDRESSES, PORT, MATCH, DESTINATION)."""
    from meshctl.envoy.listeners import COLUMNS, ListenerFilter, listener_rows
    from meshctl.envoy.tables import table

    ctx = _Ctx(opts)
    o.choice(type_, LISTENER_TYPES, "--type", ignore_case=True)
    rows = listener_rows(ctx.load("listeners"), ListenerFilter(address, port, type_))
    _emit_rows(rows, opts.output, lambda: table(rows, COLUMNS, 1))


@app.command("routes")
@shared_options()
def routes(
    opts: Shared,
    name: Annotated[str, typer.Option("--name", help="Only the route configuration with this name.")] = "",
) -> None:
    """Routes, one row per route of each virtual host (NAME, VHOST NAME, DOMAINS, MATCH, VIRTUAL SERVICE)."""
    from meshctl.envoy.routes import COLUMNS, route_rows
    from meshctl.envoy.tables import table

    ctx = _Ctx(opts)
    rows = route_rows(ctx.load("routes"), name)
    _emit_rows(rows, opts.output, lambda: table(rows, COLUMNS, 5))


View = Callable[[Any], tuple[Any, Callable[[], str]]]


def _secrets_view(model: Any) -> tuple[Any, Callable[[], str]]:
    """Rows of ``pc secrets`` and their table."""
    from meshctl.envoy.secrets import COLUMNS, secret_rows
    from meshctl.envoy.tables import table

    rows = secret_rows(model, _now())
    return rows, lambda: table(rows, COLUMNS, 5)


def _bootstrap_view(model: Any) -> tuple[Any, Callable[[], str]]:
    """The row of ``pc bootstrap`` and its summary."""
    from meshctl.envoy.bootstrap import bootstrap_row, bootstrap_summary

    row = bootstrap_row(model)
    return row, lambda: bootstrap_summary(row)


def _ecds_view(model: Any) -> tuple[Any, Callable[[], str]]:
    """Rows of ``pc ecds`` and their table."""
    from meshctl.envoy.bootstrap import ECDS_COLUMNS, ecds_rows
    from meshctl.envoy.tables import table

    rows = ecds_rows(model)
    return rows, lambda: table(rows, ECDS_COLUMNS, 5)


def _section_command(name: str, view: View, doc: str, short: bool = False) -> Callable[..., None]:
    """A subcommand with only the target options that shows one KEEP section (``name``) through ``view``.

    With ``short``, ``-o short`` is taken as ``-o table``.
    """

    def command(opts: Shared) -> None:
        if short and opts.output == "short":
            opts.output = "table"
        ctx = _Ctx(opts)
        rows, render_table = view(ctx.load(name))
        _emit_rows(rows, opts.output, render_table)

    command.__name__ = command.__qualname__ = name
    command.__doc__ = doc
    return app.command(name)(shared_options()(command))


secrets = _section_command(
    "secrets", _secrets_view, "Secrets: certificate type, status, validity now, serial and dates (never key material)."
)
bootstrap = _section_command(
    "bootstrap", _bootstrap_view, "Istio, Istio proxy and Envoy versions from the bootstrap.", short=True
)
ecds = _section_command("ecds", _ecds_view, "Extension configs delivered by ECDS (NAME, TYPE).")


@app.command("all")
@shared_options()
def all_(
    opts: Shared,
    with_headers: Annotated[bool, typer.Option("--with-headers", help="A header above each part.")] = False,
) -> None:
    """Bootstrap, clusters, listeners, routes, secrets and endpoints, as istioctl's ``pc all``."""
    from meshctl.envoy.everything import render_all, rows_all

    ctx = _Ctx(opts)
    model = ctx.load("all", include_eds=True)
    live = None
    if ctx.target.live:
        from meshctl.envoy.dump import parse_json

        live = parse_json(ctx.fetch(dump=False, live_clusters=True)[2] or "{}", "/clusters")
    if opts.output == "table":
        emit(render_all(model, _now(), live, with_headers))
    else:
        _emit_rows(rows_all(model, _now(), live), opts.output, lambda: "")


@app.command("diff")
@shared_options(target=False)
def diff(
    opts: Shared,
    a: Annotated[
        str,
        typer.Argument(help="A dump file, - for stdin, http(s)://admin URL, POD[.NS] or deploy/NAME[.NS]."),
    ],
    b: Annotated[str, typer.Argument(help="The other side, same forms.")],
) -> None:
    """Resources added, removed and changed between two dumps or proxies, with their versions."""
    from meshctl.envoy.diff import diff_rows, render_diff
    from meshctl.envoy.dump import load

    sides = []
    for spec in (a, b):
        target, admin_url, file = _side(spec)
        ctx = _Ctx(replace(opts, target=target, admin_url=admin_url, file=file))
        label, text, _ = ctx.fetch(include_eds=True)
        sides.append(load(text, label))
    rows = diff_rows(sides[0], sides[1])
    _emit_rows(rows, opts.output, lambda: render_diff(rows, sides[0].origin, sides[1].origin))


def _side(spec: str) -> tuple[str | None, str | None, str | None]:
    """(target, admin_url, file) for one ``diff`` argument."""
    import os

    if spec.startswith(("http://", "https://")):
        return None, spec, None
    if spec == "-" or os.path.exists(spec):
        return None, None, spec
    return spec, None, None


for _alias, _command in (
    ("cluster", clusters),
    ("c", clusters),
    ("listener", listeners),
    ("l", listeners),
    ("route", routes),
    ("r", routes),
    ("secret", secrets),
    ("s", secrets),
    ("b", bootstrap),
):
    app.command(_alias, hidden=True)(_command)

# The endpoints command lives in its own module and registers itself on ``app``.
from meshctl.cli import proxy_config_endpoints  # noqa: E402,F401
