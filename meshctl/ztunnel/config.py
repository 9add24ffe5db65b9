"""The ``meshctl ztunnel-config`` use case: read one ztunnel's config dump and render a section of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from meshctl.errors import UsageError
from meshctl.report.data import DATA_FORMATS
from meshctl.ztunnel.dump import SECTIONS, ZtunnelDump, parse_dump
from meshctl.ztunnel.views import Filter, render_all, render_section

OUTPUTS = DATA_FORMATS


@dataclass(frozen=True)
class ZtunnelConfigRequest:
    """What to show (a section or ``all``), from where, filtered how, in which format."""

    section: str
    target: Any
    output: str = "table"
    filter: Filter = field(default_factory=Filter)
    cluster: Any = None
    admin_port: int = 15000
    timeout: float = 10.0


def load_dump(req: ZtunnelConfigRequest) -> ZtunnelDump:
    """The dump of the request's target."""
    from meshctl.sources.ztunnel import read_dump_text

    label, text = read_dump_text(req.target, req.cluster, req.admin_port, req.timeout)
    return parse_dump(text, label)


def ztunnel_config(req: ZtunnelConfigRequest, now: datetime) -> str:
    """The rendered section (or every section) of the target's dump."""
    if req.output not in OUTPUTS:
        raise UsageError(f"unknown output format {req.output!r}; use one of {', '.join(OUTPUTS)}")
    if req.section != "all" and req.section not in SECTIONS:
        raise UsageError(f"unknown section {req.section!r}")
    dump = load_dump(req)
    if req.section == "all":
        return render_all(dump, req.output, req.filter, now)
    return render_section(dump, req.section, req.output, req.filter, now)
