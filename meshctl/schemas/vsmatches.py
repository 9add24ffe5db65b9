"""VirtualService rule analysis: rules that can never match (IST0130) and shadowed matches (IST0131).

Behaviour follows istioctl: a rule after a rule without matches is unreachable; a match equal
to an earlier one (ignoring its ``name``) is ineffective, and a rule whose matches are all such
duplicates is unreachable; an HTTP ``uri.prefix`` match covered by an earlier, shorter prefix
with the same port, method, authority, headers, query parameters and withoutHeaders is
ineffective.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from meshctl.schemas.validate import Issue

UNREACHABLE = "IST0130"
INEFFECTIVE = "IST0131"


def _unreachable(path: str, rule: str, reason: str) -> Issue:
    return Issue(UNREACHABLE, path, {"rule": rule, "detail": reason})


def _ineffective(path: str, rule: str, match: str, dup: str) -> Issue:
    return Issue(INEFFECTIVE, path, {"rule": rule, "match": match, "dup": dup})


def _pruned(value: Any) -> Any:
    """Drop empty values, as a protobuf serialisation would."""
    if isinstance(value, dict):
        kept = {k: _pruned(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v not in (None, "", 0, False, {}, [])}
    if isinstance(value, list):
        return [_pruned(v) for v in value]
    return value


def match_key(match: Any, http: bool) -> str:
    """A canonical form of a match for equality (an HTTP match's ``name`` is ignored)."""
    if http and isinstance(match, dict):
        match = {k: v for k, v in match.items() if k != "name"}
    return json.dumps(_pruned(match), sort_keys=True, default=str)


def rule_name(rule: Any, index: int, http: bool) -> str:
    """``"name"`` for named HTTP rules, else ``#index``."""
    name = rule.get("name") if http and isinstance(rule, dict) else None
    return json.dumps(name) if name else f"#{index}"


def match_name(match: Any, index: int, http: bool) -> str:
    """``"name"`` for named HTTP matches, else ``#index``."""
    name = match.get("name") if http and isinstance(match, dict) else None
    return json.dumps(name) if name else f"#{index}"


@dataclass(frozen=True)
class PrefixMatch:
    """An HTTP match on a URI prefix, reduced to the fields the overlap check compares."""

    path: str
    rule: str
    match: str
    prefix: str
    port: Any
    method: str
    authority: str
    headers: dict[str, str]
    query: dict[str, str]
    without: dict[str, str]


def _exact_or_prefix(sm: Any) -> str:
    if not isinstance(sm, dict):
        return ""
    if sm.get("exact"):
        return "exact:" + str(sm["exact"])
    if sm.get("prefix"):
        return "prefix:" + str(sm["prefix"])
    return ""


def _string_matches(section: Any) -> dict[str, str]:
    if not isinstance(section, dict):
        return {}
    return {str(k): _exact_or_prefix(v) for k, v in section.items()}


def prefix_match(match: Any, path: str, rule: str, name: str) -> PrefixMatch | None:
    """The overlap-relevant view of a match with ``uri.prefix``, or None."""
    uri = match.get("uri") if isinstance(match, dict) else None
    prefix = uri.get("prefix") if isinstance(uri, dict) else None
    if not prefix:
        return None
    return PrefixMatch(path, rule, name, str(prefix), match.get("port") or 0,
                       _exact_or_prefix(match.get("method")) or "exact:GET",
                       _exact_or_prefix(match.get("authority")), _string_matches(match.get("headers")),
                       _string_matches(match.get("queryParams")),
                       _string_matches(match.get("withoutHeaders")))


def _map_covers(first: dict[str, str], later: dict[str, str]) -> bool:
    if len(first) != len(later):
        return False
    return all(k in later and (v == later[k] or v.startswith(later[k])) for k, v in first.items())


def covers(first: PrefixMatch, later: PrefixMatch) -> bool:
    """Whether the earlier prefix match catches every request the later one would."""
    if not later.prefix.startswith(first.prefix) or later.port != first.port:
        return False
    if first.method != later.method and not first.method.startswith(later.method):
        return False
    if first.authority != later.authority and not first.authority.startswith(later.authority):
        return False
    return (_map_covers(first.headers, later.headers) and _map_covers(first.query, later.query)
            and _map_covers(first.without, later.without))


def _rule_issues(section: str, rules: list[Any], http: bool) -> Iterator[Issue | PrefixMatch]:
    seen: dict[str, int] = {}
    catch_all = -1
    for index, rule in enumerate(rules):
        if not isinstance(rule, dict):
            continue
        path, name = f"spec.{section}[{index}]", rule_name(rule, index, http)
        matches = rule.get("match") or []
        if not matches:
            if catch_all >= 0:
                yield _unreachable(path, name, "only the last rule can have no matches")
            catch_all = index
            continue
        duplicates = 0
        for mindex, match in enumerate(matches):
            if catch_all >= 0:
                yield _unreachable(path, name, "a rule without matches comes before it")
                continue
            key = match_key(match, http)
            if key in seen:
                dup = seen[key]
                yield _ineffective(f"{path}.match[{mindex}]", name, match_name(match, mindex, http),
                                   rule_name(rules[dup], dup, http))
                duplicates += 1
                continue
            seen[key] = index
            prefix = (prefix_match(match, f"{path}.match[{mindex}]", name, match_name(match, mindex, http))
                      if http else None)
            if prefix:
                yield prefix
        if duplicates == len(matches):
            yield _unreachable(path, name, "every match is used by an earlier rule")


def _overlaps(prefixes: list[PrefixMatch]) -> Iterator[Issue]:
    for i, first in enumerate(prefixes):
        for later in prefixes[i + 1:]:
            if later.prefix != first.prefix and covers(first, later):
                yield _ineffective(later.path, later.rule, f"{later.match} of prefix {later.prefix}",
                                   f"{first.match} of prefix {first.prefix} on {first.rule}")


def _trivial(rules: list[Any]) -> bool:
    """One rule with at most one match: nothing can be unreachable or shadowed."""
    if len(rules) > 1:
        return False
    return not rules or not isinstance(rules[0], dict) or len(rules[0].get("match") or []) < 2


def unreachable_issues(spec: dict[str, Any]) -> list[Issue]:
    """IST0130 and IST0131 findings for a VirtualService spec."""
    issues: list[Issue] = []
    for section in ("http", "tcp", "tls"):
        rules = spec.get(section)
        if not isinstance(rules, list) or _trivial(rules):
            continue
        prefixes: list[PrefixMatch] = []
        for item in _rule_issues(section, rules, section == "http"):
            if isinstance(item, PrefixMatch):
                prefixes.append(item)
            else:
                issues.append(item)
        issues.extend(_overlaps(prefixes))
    return issues
