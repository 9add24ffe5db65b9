"""``meshctl ztunnel-config`` (alias ``zc``): what a ztunnel knows, from its admin ``/config_dump``.

Thin: each subcommand parses its options, builds a :class:`~meshctl.ztunnel.config.ZtunnelConfigRequest`
and prints what the use case renders.
"""

from __future__ import annotations

from typing import Annotated

import typer

from meshctl.cli import options as o
from meshctl.cli.output import emit

app = typer.Typer(help="Read ztunnel's workloads, services, policies and certificates from its config dump.",
                  no_args_is_help=True)

Target = Annotated[str | None, typer.Argument(
    metavar="[ZTUNNEL_POD[.NAMESPACE]]", show_default=False,
    help="A ztunnel pod to port-forward to; by default one ztunnel pod (on --node, if given).")]
AdminUrl = Annotated[str | None, typer.Option("--admin-url", help="ztunnel admin API, e.g. http://127.0.0.1:15000.")]
DumpFile = Annotated[str | None, typer.Option("--file", "-f", help="A saved config_dump JSON file, or - for stdin.")]
Output = Annotated[str, o.output_option(o.TABLE_FORMATS, "json and yaml: ztunnel's own objects.")]
ZtunnelNamespace = Annotated[str | None, typer.Option("--namespace", "-n", help="Namespace of the ztunnel pods.")]
Node = Annotated[str, typer.Option("--node", help="Read the ztunnel on this node (and, for workloads, only its).")]
WorkloadNamespace = Annotated[str, typer.Option(
    "--workload-namespace", help="Only workloads, services or policies of this namespace.")]
Address = Annotated[str, typer.Option("--address", help="Only the workload with this address.")]
AdminPort = Annotated[int, typer.Option("--proxy-admin-port", help="ztunnel's admin port in the pod.")]


def _run(section: str, target: str | None, admin_url: str | None, file: str | None, output: str,
         namespace: str | None, node: str, workload_namespace: str, address: str, admin_port: int,
         kubeconfig: str | None, context: str | None, timeout: float) -> None:
    from meshctl.cli.proxy_options import check_admin_url
    from meshctl.envoy import clock
    from meshctl.sources.ztunnel import parse_target
    from meshctl.ztunnel.config import ZtunnelConfigRequest, ztunnel_config
    from meshctl.ztunnel.views import Filter

    if admin_url:
        check_admin_url(admin_url)
    req = ZtunnelConfigRequest(
        section, parse_target(target, admin_url, file, namespace, node), output,
        Filter(workload_namespace, node if section == "workloads" else "", address),
        o.cluster_options(kubeconfig, context, timeout), admin_port, timeout)
    emit(ztunnel_config(req, clock.now()))


def _command(section: str, doc: str) -> None:
    def command(target: Target = None, admin_url: AdminUrl = None, file: DumpFile = None, output: Output = "table",
                namespace: ZtunnelNamespace = None, node: Node = "", workload_namespace: WorkloadNamespace = "",
                address: Address = "", admin_port: AdminPort = 15000, kubeconfig: o.Kubeconfig = None,
                context: o.Context = None, timeout: o.Timeout = 10.0) -> None:
        _run(section, target, admin_url, file, output, namespace, node, workload_namespace, address, admin_port,
             kubeconfig, context, timeout)

    command.__doc__ = doc
    command.__name__ = section
    app.command(section)(command)


for _section, _doc, _aliases in (
    ("workloads", "Workloads ztunnel knows (NAMESPACE, POD NAME, ADDRESS, NODE, WAYPOINT, PROTOCOL).",
     ("workload", "w")),
    ("services", "Services ztunnel knows (NAMESPACE, SERVICE NAME, SERVICE VIP, WAYPOINT, ENDPOINTS).",
     ("service", "s")),
    ("policies", "Authorization policies ztunnel enforces (NAMESPACE, POLICY NAME, ACTION, SCOPE).",
     ("policy", "p")),
    ("certificates", "Workload certificates ztunnel holds: type, state, validity now, serial and dates.",
     ("certificate", "certs", "c")),
    ("all", "Every section: workloads, services, policies and certificates.", ()),
):
    _command(_section, _doc)
    for _alias in _aliases:
        app.registered_commands.append(
            typer.models.CommandInfo(_alias, callback=app.registered_commands[-1].callback, hidden=True))
