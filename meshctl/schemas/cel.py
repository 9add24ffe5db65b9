"""The CEL rules (``x-kubernetes-validations``) of Istio's CRDs, as meshctl's own value checks.

A CRD's CEL rules are enforced by the API server on admission; offline there is no API server,
so the rules meshctl understands are translated into short check tokens (``"duration"``,
``"port"``, ``"one:a,b"``...) that :mod:`meshctl.schemas.values` evaluates. The generator stores
the tokens with the schemas; a live cluster's CRDs are translated the same way. Rules not
recognised here are left to the API server, and so are the ones Istio's own validation rules
(:mod:`meshctl.schemas.rules`) already cover (unique ServiceEntry port numbers, port-level mTLS
port keys), so that one mistake gives one finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Rule text (whitespace-normalised) -> check token, for the rules with a fixed form.
_FIXED: dict[str, str] = {
    "duration(self) >= duration('1ms')": "duration",
    "0 < self && self <= 65535": "port",
    '!self.contains("*")': "nostar",
    'self != "*"': "notstar",
    "self.size() == 0": "empty",
    'self.all(key, !key.contains("*"))': "keys:nostar",
    "self.all(key, key.size() != 0)": "keys:nonempty",
    'self.all(key, size(key) < 63 && key.matches("^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$"))': "keys:label",
    '(has(self.address) ? self.address : "").startsWith("unix://") ? !has(self.ports) : true': "unix:noports",
    'self.startsWith("unix://") ? (self.substring(7, 8) == "/" || self.substring(7, 8) == "@") : true':
        "unix:abs",
    'self.startsWith("unix://") ? !self.endsWith("/") : true': "unix:noslash",
}
_AT_MOST_ONE = re.compile(r"^\(has\(self\.\w+\) \? 1 : 0\)(?: \+ \(has\(self\.\w+\) \? 1 : 0\))+ <= 1$")
_HAS = re.compile(r"has\(self\.(\w+)\)")
_ANY_OF = re.compile(r"^has\(self\.\w+\)(?: \|\| has\(self\.\w+\))+$")
_IN = re.compile(r'^self in \[((?:"[^"]*"(?:, )?)+)\]$')
_SCHEME = re.compile(r'^url\(self\)\.getScheme\(\) in \[((?:"[^"]*"(?:, )?)+)\]$')
_QUOTED = re.compile(r'"([^"]*)"')


def translate(rule: str) -> str | None:
    """The check token for one CEL rule, or None when meshctl does not evaluate it."""
    text = " ".join(rule.split())
    if text in _FIXED:
        return _FIXED[text]
    if _AT_MOST_ONE.match(text):
        return "one:" + ",".join(_HAS.findall(text))
    if _ANY_OF.match(text):
        return "any:" + ",".join(_HAS.findall(text))
    match = _IN.match(text)
    if match:
        return "in:" + ",".join(_QUOTED.findall(match.group(1)))
    match = _SCHEME.match(text)
    if match:
        return "scheme:" + ",".join(_QUOTED.findall(match.group(1)))
    return None


def tokens(rules: Iterable[object]) -> list[str]:
    """The check tokens of a node's ``x-kubernetes-validations`` (untranslatable rules dropped)."""
    out: list[str] = []
    for entry in rules:
        rule = entry.get("rule") if isinstance(entry, dict) else None
        token = translate(rule) if isinstance(rule, str) else None
        if token and token not in out:
            out.append(token)
    return out
