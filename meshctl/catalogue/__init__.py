"""The message catalogue: codes, names, levels and texts, loaded from the TSV files here.

``messages.tsv`` holds istioctl's IST codes (names and levels as istioctl has them,
texts of our own). Every other ``*.tsv`` here holds meshctl's own ``MSH`` codes,
one file per area so that areas do not edit the same file, except ``retired.tsv``:
codes that were used once and are never to be used again (istioctl's retired IST codes,
and any MSH code we retire: move its row out and add its code there).

Templates are ``str.format`` fields (``{host}``). A message is built with exactly the
parameters its template names: a missing or an extra one raises ``MessageParamsError``
(an analyzer that raises becomes IST0001), never a degraded text.
"""

from __future__ import annotations

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


class MessageType:
    """One catalogue entry (read-only)."""

    def __init__(self, code: str, name: str, level: Level, template: str, description: str = "") -> None:
        self.code = code
        self.name = name
        self.level = level
        self.template = template
        self.description = description

    def __repr__(self) -> str:
        return f"MessageType({self.code!r}, {self.name!r}, {self.level.label})"

    @cached_property
    def documentation_url(self) -> str:
        """Where the message is explained: istio.io for IST codes, our docs otherwise."""
        if self.code.startswith("IST"):
            return f"https://istio.io/latest/docs/reference/config/analysis/{self.code.lower()}/"
        return f"docs/messages.md#{self.code.lower()}"

    @cached_property
    def params(self) -> frozenset[str]:
        """The parameter names the template uses."""
        return template_params(self.template)

    def render(self, params: dict[str, object]) -> str:
        """The message text with its parameters filled in; MessageParamsError unless they are
        exactly the template's."""
        if params.keys() != self.params:
            missing, extra = sorted(self.params - params.keys()), sorted(params.keys() - self.params)
            raise MessageParamsError(self.code, missing, extra)
        return self.template.format(**params)


class MessageParamsError(TypeError):
    """A message built with parameters its template does not name, or without ones it does."""

    def __init__(self, code: str, missing: list[str], extra: list[str]) -> None:
        parts = ([f"missing {', '.join(missing)}"] if missing else []) + ([f"extra {', '.join(extra)}"] if extra
                                                                           else [])
        super().__init__(f"message {code}: {'; '.join(parts)} parameter(s)")
        self.code, self.missing, self.extra = code, missing, extra


def template_params(template: str) -> frozenset[str]:
    """The field names of a ``str.format`` template (``{host}`` -> ``host``)."""
    import string

    names = (field for _, field, _, _ in string.Formatter().parse(template) if field is not None)
    return frozenset(name.split(".")[0].split("[")[0] for name in names)


RETIRED_FILE = "retired.tsv"


def _rows(name: str) -> list[dict[str, str]]:
    import csv

    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines(), delimiter="\t"))


@cache
def retired_codes() -> frozenset[str]:
    """Codes that were in use once and are never reused."""
    return frozenset(r["code"] for r in _rows(RETIRED_FILE))


def _read_tsv(name: str) -> list[MessageType]:
    return [MessageType(r["code"], r["name"], Level.parse(r["level"]), r["template"],
                        r.get("description") or "") for r in _rows(name)]


@cache
def catalogue() -> dict[str, MessageType]:
    """Every message type by code."""
    entries: dict[str, MessageType] = {}
    files = sorted(p.name for p in resources.files(__package__).iterdir()
                   if p.name.endswith(".tsv") and p.name != RETIRED_FILE)
    retired = retired_codes()
    for name in files:
        for entry in _read_tsv(name):
            if entry.code in entries:
                raise RuntimeError(f"message code {entry.code} defined twice")
            if entry.code in retired:
                raise RuntimeError(f"message code {entry.code} is retired ({RETIRED_FILE}); use a new code")
            entries[entry.code] = entry
    return entries


def message_type(code: str) -> MessageType:
    """The catalogue entry for a code."""
    try:
        return catalogue()[code]
    except KeyError:
        raise KeyError(f"message code {code} is not in the catalogue") from None
