"""``meshctl proxy-config`` (alias ``pc``): Envoy's configuration with version info.

Each subcommand parses its options, reads the sections it shows (:func:`proxy_options.read`), calls its
use case in :mod:`meshctl.envoy.views` and renders the view.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from meshctl.cli import options as o
from meshctl.cli.output import emit
from meshctl.cli.proxy_config_endpoints import endpoints
from meshctl.cli.proxy_options import (
    FORMATS,
    PLAIN_FORMATS,
    Address,
    Port,
    Shared,
    read,
    render,
    shared_options,
    source,
)

app = typer.Typer(
    help="Read Envoy's configuration from a pod, an admin URL or a saved config dump.", no_args_is_help=True
)

DIRECTIONS = ("inbound", "outbound")
LISTENER_TYPES = ("HTTP", "TCP", "HTTP+TCP", "UNKNOWN")


def _now() -> Any:
    from meshctl.envoy import clock

    return clock.now()


def _keep(name: str) -> frozenset[str]:
    from meshctl.envoy.dump import KEEP

    return KEEP[name]


def _section(opts: Shared, key: str) -> Any:
    """The dump of section ``key`` of the target, compacted to what its table needs when -o is a table."""
    src = source(opts)
    keep = _keep(key) if opts.output in ("table", "short", "rows-json", "rows-yaml") else None
    return read(src, (key,), keep=keep).dump


@app.command("dump")
@shared_options(formats=PLAIN_FORMATS)
def dump(
    opts: Shared,
    type_: Annotated[
        list[str] | None,
        typer.Option("--type", help="Only these sections (clusters, listeners, routes, ...). Repeatable."),
    ] = None,
    include_eds: Annotated[bool, typer.Option("--include-eds", help="Add endpoints (EDS).")] = False,
) -> None:
    """Envoy's config dump: per section counts and version_info (time, #counter, age); -o json|yaml is raw."""
    from meshctl.cli.proxy_options import unrendered_error
    from meshctl.envoy.dump import normalize_type, select_sections
    from meshctl.envoy.summary import render_summary
    from meshctl.envoy.tables import render_rows
    from meshctl.envoy.views import dump_objects

    src = source(opts)
    keys = tuple(dict.fromkeys(normalize_type(t) for t in type_ or [])) or None
    if keys and "endpoints" in keys:
        include_eds = True
    raw = opts.output != "table"
    got = read(src, keys, include_eds, keep=None if raw else _keep("summary"))
    model = got.dump
    if raw:
        emit(render_rows(dump_objects(model, set(keys) if keys else None), opts.output))
    else:
        emit(render_summary(select_sections(model, keys or ()), _now()))
    if got.unrendered:
        raise unrendered_error(model.origin, got.unrendered)


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
    from meshctl.envoy.clusters import ClusterFilter
    from meshctl.envoy.views import clusters_view

    o.choice(direction, DIRECTIONS, "--direction")
    model = _section(opts, "clusters")
    emit(render(clusters_view(model, ClusterFilter(fqdn, port, subset, direction)), opts.output))


@app.command("listeners")
@shared_options()
def listeners(
    opts: Shared,
    address: Address = "",
    port: Port = 0,
    type_: Annotated[str, typer.Option("--type", help="HTTP, TCP, HTTP+TCP or UNKNOWN.")] = "",
) -> None:
    """Listeners, one row per filter chain (ADDRESSES, PORT, MATCH, DESTINATION)."""
    from meshctl.envoy.listeners import ListenerFilter
    from meshctl.envoy.views import listeners_view

    o.choice(type_, LISTENER_TYPES, "--type", ignore_case=True)
    model = _section(opts, "listeners")
    emit(render(listeners_view(model, ListenerFilter(address, port, type_)), opts.output))


@app.command("routes")
@shared_options()
def routes(
    opts: Shared,
    name: Annotated[str, typer.Option("--name", help="Only the route configuration with this name.")] = "",
) -> None:
    """Routes, one row per route of each virtual host (NAME, VHOST NAME, DOMAINS, MATCH, VIRTUAL SERVICE)."""
    from meshctl.envoy.views import routes_view

    emit(render(routes_view(_section(opts, "routes"), name), opts.output))


@app.command("secrets")
@shared_options()
def secrets(opts: Shared) -> None:
    """Secrets: certificate type, status, validity now, serial and dates (never key material)."""
    from meshctl.envoy.views import secrets_view

    emit(render(secrets_view(_section(opts, "secrets"), _now()), opts.output))


@app.command("bootstrap")
@shared_options(formats=(*FORMATS, "short"))
def bootstrap(opts: Shared) -> None:
    """The bootstrap as Envoy's BootstrapConfigDump JSON (as istioctl); -o short: Istio and Envoy versions."""
    from meshctl.envoy.views import bootstrap_view

    short = opts.output == "short"
    view = bootstrap_view(_section(opts, "bootstrap"))
    emit(view.table if short else render(view, "json" if opts.output == "table" else opts.output))


@app.command("ecds")
@shared_options()
def ecds(opts: Shared) -> None:
    """Extension configs delivered by ECDS, every one with its type (NAME, TYPE)."""
    from meshctl.envoy.views import ecds_view

    emit(render(ecds_view(_section(opts, "ecds")), opts.output))


@app.command("all")
@shared_options()
def all_(
    opts: Shared,
    with_headers: Annotated[bool, typer.Option("--with-headers", help="A header above each part.")] = False,
) -> None:
    """Bootstrap, clusters, listeners, routes, secrets and endpoints, as istioctl's ``pc all``."""
    from meshctl.cli.proxy_options import read_clusters, unrendered_error
    from meshctl.envoy.views import all_view

    src = source(opts)
    got = read(src, None, include_eds=True, keep=None if opts.output in ("json", "yaml") else _keep("all"))
    live = read_clusters(src)[1] if src.target.live else None
    emit(render(all_view(got.dump, _now(), live, with_headers), opts.output))
    if got.unrendered:
        raise unrendered_error(got.dump.origin, got.unrendered)


@app.command("diff")
@shared_options(target=False, formats=PLAIN_FORMATS)
def diff(
    opts: Shared,
    a: Annotated[
        str,
        typer.Argument(help="A dump file, - for stdin, http(s)://admin URL, POD[.NS] or deploy/NAME[.NS]."),
    ],
    b: Annotated[str, typer.Argument(help="The other side, same forms.")],
) -> None:
    """Resources added, removed and changed between two dumps or proxies, with their versions."""
    from meshctl.cli.proxy_options import unrendered_error
    from meshctl.envoy.diff import diff_rows, render_diff
    from meshctl.envoy.tables import render_rows

    sides = []
    for spec in (a, b):
        target, admin_url, file = _side(spec)
        src = source(opts._replace(target=target, admin_url=admin_url, file=file))
        got = read(src, None, include_eds=True)
        if got.unrendered:  # a diff that leaves a section out would call it removed
            raise unrendered_error(got.dump.origin, got.unrendered)
        sides.append(got.dump)
    rows = diff_rows(sides[0], sides[1])
    out = render_diff(rows, sides[0].origin, sides[1].origin) if opts.output == "table" else None
    emit(out if out is not None else render_rows(rows, opts.output))


def _side(spec: str) -> tuple[str | None, str | None, str | None]:
    """(target, admin_url, file) for one ``diff`` argument."""
    import os

    if spec.startswith(("http://", "https://")):
        return None, spec, None
    if spec == "-" or os.path.exists(spec):
        return None, None, spec
    return spec, None, None


app.command("endpoints")(endpoints)
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
    ("endpoint", endpoints),
    ("ep", endpoints),
):
    app.command(_alias, hidden=True)(_command)
