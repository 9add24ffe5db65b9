"""check-inject results: per pod, every webhook's verdict, as rows and as findings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from meshctl.analysis.message import Message
from meshctl.inject.webhooks import WebhookVerdict, analyze
from meshctl.report.data import render_data, tabwrite
from meshctl.resource import Resource

MULTIPLE = "ERROR: multiple webhooks will inject, which can lead to errors"


@dataclass(frozen=True)
class PodCheck:
    """The verdicts for one pod (or pod template, or a namespace's bare pods)."""

    subject: Resource
    verdicts: list[WebhookVerdict]

    @property
    def injectors(self) -> list[WebhookVerdict]:
        """The webhooks that will inject."""
        return [v for v in self.verdicts if v.injected]

    @property
    def label(self) -> str:
        """``Pod ns/name`` (or the kind the labels came from)."""
        return self.subject.friendly_name()


def check(subject: Resource, pod_labels: Mapping[str, str], ns_labels: Mapping[str, str],
          configs: list[dict[str, Any]]) -> PodCheck:
    """Evaluate every Istio webhook for one subject."""
    return PodCheck(subject, analyze(configs, pod_labels, ns_labels))


def messages(checks: list[PodCheck]) -> list[Message]:
    """Findings: MSH0601 injected, MSH0602 not injected, MSH0603 injected more than once."""
    out = []
    for c in checks:
        inj = c.injectors
        if not inj:
            out.append(Message.build("MSH0602", c.subject, {"pod": c.label}, analyzer="check-inject"))
        elif len(inj) > 1:
            out.append(Message.build("MSH0603", c.subject, {
                "pod": c.label, "count": len(inj), "webhooks": ", ".join(v.webhook for v in inj)},
                analyzer="check-inject"))
        else:
            out.append(Message.build("MSH0601", c.subject, {
                "pod": c.label, "webhook": inj[0].webhook, "revision": inj[0].revision or "-",
                "reason": inj[0].reason}, analyzer="check-inject"))
    return out


def table(rows: list[list[str]], gap: int = 5) -> str:
    """Left-aligned columns (tabwriter style); the last column is not padded."""
    return "".join(line.rstrip() + "\n" for line in tabwrite(rows, gap).split("\n")[:-1])


def render_table(checks: list[PodCheck]) -> str:
    """istioctl's columns (WEBHOOK REVISION INJECTED REASON); a POD column for several pods."""
    many = len(checks) > 1
    head = ["POD"] * many + ["WEBHOOK", "REVISION", "INJECTED", "REASON"]
    rows = [head]
    for c in checks:
        for v in c.verdicts:
            mark = "\u2714" if v.injected else "\u2718"
            rows.append([c.subject.ref()] * many + [v.webhook, v.revision, mark, v.reason])
    text = table(rows) if len(rows) > 1 else "No Istio mutating webhooks found.\n"
    for c in checks:
        if len(c.injectors) > 1:
            text += (f"{c.subject.ref()}: " if many else "") + MULTIPLE + "\n"
    return text


def rows(checks: list[PodCheck]) -> list[dict[str, Any]]:
    """Flat rows for json/yaml: pod, namespace, kind, webhook, revision, injected, reason."""
    return [{"pod": c.subject.name, "namespace": c.subject.namespace, "kind": c.subject.kind, **v.as_dict()}
            for c in checks for v in c.verdicts]


def render(checks: list[PodCheck], fmt: str) -> str:
    """table, json or yaml."""
    if fmt in ("json", "yaml"):
        return render_data(rows(checks), fmt)
    return render_table(checks)
