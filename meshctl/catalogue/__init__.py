"""The message catalogue: codes, names, levels and texts, loaded from the TSV files here.

``messages.tsv`` holds istioctl's IST codes (names and levels as istioctl has them,
texts of our own). Every other ``*.tsv`` here holds meshctl's own ``MSH`` codes,
one file per area so that areas do not edit the same file.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from enum import IntEnum
from functools import cache, cached_property
from importlib import resources


class Level(IntEnum):
    """Message severity, ordered so that comparisons mean 'at least as severe'."""

    INFO = 0
    WARNING = 1
    ERROR = 2

    @property
    def label(self) -> str:
        """The capitalised name istioctl prints (``Error``)."""
        return self.name.capitalize()

    @classmethod
    def parse(cls, text: str) -> Level:
        """A level from ``info``, ``Warning``, ``ERROR`` and so on."""
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown level {text!r}: use Info, Warning or Error") from None


@dataclass(frozen=True)
class MessageType:
    """One catalogue entry."""

    code: str
    name: str
    level: Level
    template: str
    description: str = ""

    @cached_property
    def documentation_url(self) -> str:
        """Where the message is explained: istio.io for IST codes, our docs otherwise."""
        if self.code.startswith("IST"):
            return f"https://istio.io/latest/docs/reference/config/analysis/{self.code.lower()}/"
        return f"docs/messages.md#{self.code.lower()}"

    def render(self, params: dict[str, object]) -> str:
        """The message text with its parameters filled in."""
        try:
            return self.template.format(**params)
        except (KeyError, IndexError, ValueError):
            detail = ", ".join(f"{k}={v}" for k, v in params.items())
            return f"{self.template.split('{')[0].strip()} ({detail})" if detail else self.template


def _read_tsv(name: str) -> list[MessageType]:
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines(), delimiter="\t")
    return [MessageType(r["code"], r["name"], Level.parse(r["level"]), r["template"],
                        r.get("description") or "") for r in rows]


@cache
def catalogue() -> dict[str, MessageType]:
    """Every message type by code."""
    entries: dict[str, MessageType] = {}
    files = sorted(p.name for p in resources.files(__package__).iterdir() if p.name.endswith(".tsv"))
    for name in files:
        for entry in _read_tsv(name):
            if entry.code in entries:
                raise RuntimeError(f"message code {entry.code} defined twice")
            entries[entry.code] = entry
    return entries


def message_type(code: str) -> MessageType:
    """The catalogue entry for a code."""
    try:
        return catalogue()[code]
    except KeyError:
        raise KeyError(f"message code {code} is not in the catalogue") from None
