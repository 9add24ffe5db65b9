"""gateway.ConflictingGatewayAnalyzer: Gateways on one workload and port must not claim the same host."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register
from meshctl.analysis.selectors import LabelIndex
from meshctl.analyzers.gateway.workloads import gateway_selector, gateway_selector_text, server_port, servers
from meshctl.resource import Resource

Claims = dict[str, list[tuple[str, str]]]
PortTable = dict[str, Claims]


def _port_text(server: dict[str, Any]) -> str:
    return str(server_port(server) or 0)


def build_table(gateways: list[Resource]) -> dict[str, PortTable]:
    """selector text -> port -> host -> [(gateway ref, bind)].

    As in istioctl, only a gateway's last server on a port counts for that port.
    """
    last: dict[tuple[str, str, str], dict[str, Any]] = {}
    for gateway in gateways:
        for server in servers(gateway):
            last[(gateway_selector_text(gateway), _port_text(server), gateway.ref())] = server
    table: dict[str, PortTable] = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for (selector, port, ref), server in last.items():
        bind = str(server.get("bind") or "")
        for host in server.get("hosts") or []:
            table[selector][port][str(host)].append((ref, bind))
    return table


def claimed_by_others(server: dict[str, Any], claims: Claims, me: str) -> set[str]:
    """Other gateways binding one of the server's hosts on the same address."""
    bind = str(server.get("bind") or "")
    return {ref for host in server.get("hosts") or [] for ref, their_bind in claims.get(str(host), [])
            if ref != me and their_bind == bind}


@register
class ConflictingGatewayAnalyzer(Analyzer):
    """Checks a gateway's selector, port number and hosts."""

    name = "gateway.ConflictingGatewayAnalyzer"
    inputs = ("Gateway", "Pod")
    codes = ("IST0101", "IST0145")

    def analyze(self, ctx: Context) -> None:
        """Report Gateways whose selector shares pods and port with another claiming the same host."""
        gateways = ctx.resources.of_kind("Gateway")
        table = build_table(gateways)
        labels = {gateway_selector_text(g): gateway_selector(g) for g in gateways}
        pods = ctx.resources.label_index("Pod")
        overlap_cache: dict[tuple[str, str], bool] = {}
        for gateway in gateways:
            mine = gateway_selector_text(gateway)
            hits = [sel for sel in table if self._overlaps(mine, sel, labels, pods, overlap_cache)]
            if mine and not hits:
                ctx.report("IST0101", gateway, path="spec.selector", ref_kind="selector", ref_name=mine)
                continue
            for i, server in enumerate(servers(gateway)):
                port = _port_text(server)
                me = gateway.ref()
                others = sorted({ref for sel in hits
                                 for ref in claimed_by_others(server, table[sel].get(port, {}), me)})
                if others:
                    ctx.report("IST0145", gateway, path=f"spec.servers[{i}]", gateway=gateway.ref(),
                               others=",".join(others), selector=mine, port=port,
                               hosts=",".join(str(h) for h in server.get("hosts") or []))

    @staticmethod
    def _overlaps(mine: str, theirs: str, labels: dict[str, dict[str, str]], pods: LabelIndex,
                  cache: dict[tuple[str, str], bool]) -> bool:
        """Same selector text, or one text contains the other and some pod matches both."""
        if mine == theirs:
            return True
        if mine not in theirs and theirs not in mine:
            return False
        if (mine, theirs) not in cache:
            mine_labels, their_labels = labels[mine], labels[theirs]
            both = {**their_labels, **mine_labels}
            cache[(mine, theirs)] = not _conflicting(mine_labels, their_labels) and bool(pods.select(both))
        return cache[(mine, theirs)]


def _conflicting(a: dict[str, str], b: dict[str, str]) -> bool:
    """Whether two label maps demand different values for one key."""
    return any(k in b and b[k] != v for k, v in a.items())
