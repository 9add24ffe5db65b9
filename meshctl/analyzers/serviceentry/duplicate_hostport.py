"""serviceentry.DuplicateHostPortAnalyzer: one ServiceEntry per visible host and port."""

from __future__ import annotations

from meshctl.analysis.context import Context
from meshctl.analysis.hosts import EXPORT_ALL
from meshctl.analysis.registry import Analyzer, register
from meshctl.analyzers.serviceentry.conflictingserviceentries import index_ports


@register
class DuplicateHostPortAnalyzer(Analyzer):
    """Reports a host and port defined, with the same protocol, by more than one ServiceEntry visible in a namespace."""

    name = "serviceentry.DuplicateHostPortAnalyzer"
    inputs = ("ServiceEntry",)
    codes = ("MSH1757",)

    def analyze(self, ctx: Context) -> None:
        """Group by (scope, host, port) as IST0177 does; different protocols are IST0177's."""
        index = index_ports(ctx.resources.of_kind("ServiceEntry"))
        reported: set[tuple[str | None, str, str, int]] = set()
        for (scope, host, port), entries in sorted(index.items(), key=lambda kv: kv[0]):
            if scope != EXPORT_ALL:
                entries = entries + index.get((EXPORT_ALL, host, port), [])
            protocols = {proto.upper() for proto, _ in entries}
            unique = {(se.namespace, se.name): se for _, se in entries}
            if len(protocols) != 1 or len(unique) < 2:
                continue
            names = ", ".join(sorted(se.ref() for se in unique.values()))
            for se in unique.values():
                key = (se.namespace, se.name, host, port)
                if key not in reported:
                    reported.add(key)
                    ctx.report("MSH1757", se, path="spec.hosts", host=host, port=port, entries=names)
