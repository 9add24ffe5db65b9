"""``proxy-config all``: every part in istioctl's order, with ``kind/`` name prefixes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from meshctl.envoy import bootstrap, clusters, endpoints, listeners, routes, secrets
from meshctl.envoy.dump import ConfigDump
from meshctl.envoy.tables import table


def _endpoints(dump: ConfigDump, live: Any, prefixed: bool) -> list[dict[str, Any]]:
    if live is not None:
        return endpoints.live_endpoint_rows(live, prefixed=prefixed)
    return endpoints.endpoint_rows(dump, prefixed=prefixed)


def rows_all(dump: ConfigDump, now: datetime, live: Any = None) -> dict[str, Any]:
    """Every part as JSON rows."""
    return {
        "bootstrap": bootstrap.bootstrap_row(dump),
        "clusters": clusters.cluster_rows(dump),
        "listeners": listeners.listener_rows(dump),
        "routes": routes.route_rows(dump),
        "secrets": secrets.secret_rows(dump, now),
        "endpoints": _endpoints(dump, live, False),
    }


def render_all(dump: ConfigDump, now: datetime, live: Any = None, with_headers: bool = False) -> str:
    """Bootstrap summary, then the cluster, listener, route, secret and endpoint tables."""
    parts = [
        ("BOOTSTRAP", bootstrap.bootstrap_summary(bootstrap.bootstrap_row(dump))),
        (
            "CLUSTER",
            table(clusters.cluster_rows(dump, prefixed=True), (("NAME", "name"), *clusters.COLUMNS), 5),
        ),
        (
            "LISTENER",
            table(listeners.listener_rows(dump, prefixed=True), (("NAME", "name"), *listeners.COLUMNS), 1),
        ),
        ("ROUTE", table(routes.route_rows(dump, prefixed=True), routes.COLUMNS, 5)),
        ("SECRET", table(secrets.secret_rows(dump, now, prefixed=True), secrets.COLUMNS, 5)),
        ("ENDPOINTS", table(_endpoints(dump, live, True), endpoints.COLUMNS, 5)),
    ]
    if with_headers:
        return "\n".join(f"------ {title} INFO ------\n\n{body}" for title, body in parts)
    return "\n".join(body for _, body in parts)
