"""The one home of Kubernetes' and Istio's conventions: selectors, webhooks, sidecars, hosts."""

from __future__ import annotations

import pytest

from meshctl.conventions import hosts, selectors, sidecars, webhooks

LABELS = {"app": "web", "tier": "front", "version": "3", "istio.io/rev": "canary"}


@pytest.mark.parametrize(("text", "expected"), [
    ("app=web", True), ("app==web", True), ("app=db", False),
    ("app!=db", True), ("app!=web", False), ("missing!=x", True),
    ("app", True), ("missing", False), ("!missing", True), ("!app", False),
    ("tier in (front,back)", True), ("tier in (back)", False), ("tier notin (back)", True),
    ("tier notin (front, back)", False), ("missing notin (x)", True), ("missing in (x)", False),
    ("version>2", True), ("version<3", False), ("app>1", False),
    ("istio.io/rev=canary,app=web,!legacy", True), ("istio.io/rev=canary,app=db", False),
    ("tier in (front,back),app", True),
])
def test_selector_syntax_matches_as_kubernetes_does(text: str, expected: bool) -> None:
    assert selectors.matches(selectors.parse(text), LABELS) is expected


@pytest.mark.parametrize("text", ["", "app=web,", ",app", "app in x", "a b", "=web", "app=web=x",
                                  "-app"])
def test_malformed_selectors_say_why(text: str) -> None:
    with pytest.raises(selectors.SelectorError):
        selectors.parse(text)
    assert selectors.syntax_error(text)


def test_parsed_selector_is_a_label_selector() -> None:
    assert selectors.parse("a=1,b notin (x,y),!c") == {"matchExpressions": [
        {"key": "a", "operator": "In", "values": ["1"]},
        {"key": "b", "operator": "NotIn", "values": ["x", "y"]},
        {"key": "c", "operator": "DoesNotExist"}]}


def test_match_labels_and_expressions_together() -> None:
    selector = {"matchLabels": {"app": "web"}, "matchExpressions": [{"key": "tier", "operator": "Exists"}]}
    assert selectors.matches(selector, LABELS)
    assert not selectors.matches({**selector, "matchLabels": {"app": "db"}}, LABELS)
    assert selectors.matches(None, {}) and selectors.matches({}, None)
    assert selectors.to_string({"b": 2, "a": "1"}) == "a=1,b=2"


def test_istio_webhooks_by_webhook_name_then_by_labels() -> None:
    ours = {"metadata": {"name": "x"}, "webhooks": [{"name": "rev.namespace.sidecar-injector.istio.io"}]}
    foreign = {"metadata": {"name": "istio-lookalike"}, "webhooks": [{"name": "hook.example.com"}]}
    empty_labelled = {"metadata": {"name": "x", "labels": {"istio.io/rev": "1-28"}}}
    empty_foreign = {"metadata": {"name": "cert-manager"}}
    assert webhooks.is_istio_webhook_config(ours)
    assert not webhooks.is_istio_webhook_config(foreign)
    assert webhooks.is_istio_webhook_config(empty_labelled)
    assert not webhooks.is_istio_webhook_config(empty_foreign)
    assert webhooks.istio_webhooks(ours) == ours["webhooks"]


def test_sidecar_is_an_istio_proxy_container_or_native_sidecar() -> None:
    assert sidecars.has_sidecar({"containers": [{"name": "app"}, {"name": "istio-proxy"}]})
    assert sidecars.has_sidecar({"initContainers": [{"name": "istio-proxy", "restartPolicy": "Always"}]})
    assert not sidecars.has_sidecar({"containers": [{"name": "app"}], "initContainers": [{"name": "istio-init"}]})


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("a.example.com", "a.example.com", True), ("a.example.com", "b.example.com", False),
    ("*.example.com", "a.example.com", True), ("a.example.com", "*.example.com", True),
    ("*.example.com", "*.a.example.com", True), ("*.a.example.com", "*.b.example.com", False),
    ("*", "anything.org", True), ("*.org", "example.com", False),
])
def test_wildcard_hosts_overlap(a: str, b: str, expected: bool) -> None:
    assert hosts.hosts_overlap(a, b) is expected
    assert hosts.hosts_overlap(b, a) is expected


@pytest.mark.parametrize(("holder", "expected"), [
    ({"port": {"number": 443}}, 443), ({"port": {"number": "80"}}, 80), ({"port": {}}, 0),
    ({"port": {"number": "http"}}, 0), ({"port": 80}, None), ({}, None),
])
def test_port_number_of_a_server_or_destination(holder: dict[str, object], expected: int | None) -> None:
    from meshctl.conventions.ports import port_number

    assert port_number(holder) == expected


def test_proxy_env_json_reads_only_istio_proxy_and_skips_empty_values() -> None:
    spec = {"containers": [{"name": "app", "env": [{"name": "X", "value": '{"app": 1}'}]},
                           {"name": "istio-proxy", "env": [{"name": "X", "value": ""}, {"name": "Y", "value": "[1]"}]}],
            "initContainers": [{"name": "istio-proxy", "env": [{"name": "X", "value": '{"native": true}'}]}]}
    assert sidecars.proxy_env_json(spec, "X") == {"native": True}
    assert sidecars.proxy_env_json(spec, "Y") == [1]
    assert sidecars.proxy_env_json(spec, "Z") is None
    broken = {"containers": [{"name": "istio-proxy", "env": [{"name": "X", "value": "{not json"}]}]}
    assert sidecars.proxy_env_json(broken, "X") is None
