"""serviceentry.ConflictingServiceEntryProtocolAnalyzer: one protocol per visible host and port."""

from __future__ import annotations

from collections import defaultdict

from meshctl.analysis.context import Context
from meshctl.analysis.hosts import EXPORT_ALL, export_scopes
from meshctl.analysis.registry import Analyzer, register
from meshctl.resource import Resource

Key = tuple[str, str, int]


def index_ports(entries: list[Resource]) -> dict[Key, list[tuple[str, Resource]]]:
    """(scope, host, port) -> [(protocol, ServiceEntry)] over every export scope."""
    out: dict[Key, list[tuple[str, Resource]]] = defaultdict(list)
    for se in entries:
        scopes = sorted(export_scopes([str(e) for e in se.spec.get("exportTo") or []], se.namespace))
        for scope in scopes:
            for host in se.spec.get("hosts") or []:
                for port in se.spec.get("ports") or []:
                    if isinstance(port, dict):
                        number = int(port.get("number") or 0)
                        out[(scope, str(host), number)].append((str(port.get("protocol") or ""), se))
    return out


@register
class ConflictingServiceEntryProtocolAnalyzer(Analyzer):
    """Checks if multiple ServiceEntries define the same host and port with different protocols."""

    name = "serviceentry.ConflictingServiceEntryProtocolAnalyzer"
    inputs = ("ServiceEntry",)
    codes = ("IST0177",)

    def analyze(self, ctx: Context) -> None:
        """Report each ServiceEntry once when a host:port it shares is given two protocols."""
        index = index_ports(ctx.resources.of_kind("ServiceEntry"))
        reported: set[tuple[str | None, str]] = set()
        for (scope, host, port), entries in sorted(index.items(), key=lambda kv: kv[0]):
            if scope != EXPORT_ALL:
                entries = entries + index.get((EXPORT_ALL, host, port), [])
            protocols = sorted({proto.upper() for proto, _ in entries})
            if len(protocols) < 2:
                continue
            names = ", ".join(sorted({se.ref() for _, se in entries}))
            for _, se in entries:
                if (se.namespace, se.name) in reported:
                    continue
                reported.add((se.namespace, se.name))
                ctx.report("IST0177", se, path="metadata.name", host=host, port=port,
                           protocols=", ".join(protocols), entries=names)
