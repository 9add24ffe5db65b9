"""VirtualService rule analysis (IST0130 unreachable rules, IST0131 shadowed matches)."""

from __future__ import annotations

from meshctl.schemas.vsmatches import unreachable_issues


def _route(*matches: dict, name: str | None = None) -> dict:
    rule: dict = {"route": [{"destination": {"host": "a"}}]}
    if matches:
        rule["match"] = list(matches)
    if name:
        rule["name"] = name
    return rule


def _codes(spec: dict) -> list[tuple[str, str]]:
    return [(i.code, i.path) for i in unreachable_issues(spec)]


def test_rule_after_catch_all_is_unreachable() -> None:
    spec = {"http": [_route(), _route({"uri": {"prefix": "/a"}}, {"uri": {"prefix": "/b"}})]}
    assert _codes(spec) == [("IST0130", "spec.http[1]"), ("IST0130", "spec.http[1]")]


def test_two_catch_alls() -> None:
    assert _codes({"tcp": [_route(), _route()]}) == [("IST0130", "spec.tcp[1]")]


def test_duplicate_match_ignores_match_name() -> None:
    spec = {
        "http": [_route({"name": "one", "uri": {"exact": "/x"}}), _route({"uri": {"exact": "/x"}}, name="r2")]
    }
    issues = unreachable_issues(spec)
    assert [(i.code, i.path) for i in issues] == [
        ("IST0131", "spec.http[1].match[0]"),
        ("IST0130", "spec.http[1]"),
    ]
    assert issues[0].params["rule"] == '"r2"' and issues[0].params["dup"] == "#0"


def test_partial_duplicate_is_only_ineffective() -> None:
    spec = {"tls": [_route({"sniHosts": ["a"]}), _route({"sniHosts": ["a"]}, {"sniHosts": ["b"]})]}
    assert _codes(spec) == [("IST0131", "spec.tls[1].match[0]")]


def test_prefix_overlap_needs_same_method() -> None:
    get = {"exact": "GET"}
    covered = {"http": [_route({"uri": {"prefix": "/a"}}), _route({"uri": {"prefix": "/ab"}, "method": get})]}
    assert _codes(covered) == [("IST0131", "spec.http[1].match[0]")]
    other = {
        "http": [
            _route({"uri": {"prefix": "/a"}}),
            _route({"uri": {"prefix": "/ab"}, "method": {"exact": "PUT"}}),
        ]
    }
    assert _codes(other) == []


def test_prefix_overlap_inside_one_rule_and_exact_is_ignored() -> None:
    single = {"http": [_route({"uri": {"prefix": "/a"}}, {"uri": {"prefix": "/a/b"}})]}
    assert _codes(single) == [("IST0131", "spec.http[0].match[1]")]
    exact = {"http": [_route({"uri": {"prefix": "/"}}, {"uri": {"exact": "/"}})]}
    assert _codes(exact) == []


def test_distinct_rules_are_fine() -> None:
    spec = {"http": [_route({"uri": {"prefix": "/a"}}), _route({"uri": {"prefix": "/b"}}), _route()]}
    assert _codes(spec) == []
