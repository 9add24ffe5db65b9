"""The Go text/template subset that renders injection templates from the values."""

from __future__ import annotations

from typing import Any

import pytest

from meshctl.inject.gotemplate import TemplateError, render

DATA = {"ObjectMeta": {"annotations": {"a": "1"}, "labels": {"app": "web"}},
        "Spec": {"containers": [{"name": "web"}, {"name": "istio-proxy"}]},
        "Values": {"global": {"proxy": {"statusPort": 15020}, "list": ["x", "y"]}},
        "DeploymentMeta": {"Name": "web", "Namespace": ""}}


@pytest.mark.parametrize(("source", "want"), [
    ("{{ .Values.global.proxy.statusPort }}", "15020"),
    ("a {{- ` b ` -}} c", "a b c"),
    ("{{/* a comment */}}x", "x"),
    ("{{ if .Values.missing }}y{{ else if .ObjectMeta.labels.app }}z{{ else }}w{{ end }}", "z"),
    ("{{ range $i, $c := .Spec.Containers }}{{ $i }}={{ $c.Name }};{{ end }}", "0=web;1=istio-proxy;"),
    ("{{ range .Values.global.list }}[{{ . }}]{{ end }}", "[x][y]"),
    ("{{ range .Values.none }}a{{ else }}empty{{ end }}", "empty"),
    ("{{ with .ObjectMeta.labels }}{{ .app }}{{ end }}", "web"),
    ("{{ annotation .ObjectMeta `a` `d` }}/{{ annotation .ObjectMeta `b` `d` }}", "1/d"),
    ("{{ valueOrDefault .DeploymentMeta.Namespace `default` }}", "default"),
    ("{{ index .ObjectMeta.labels `app` | default `x` | quote }}", '"web"'),
    ("{{ $n := list }}{{ range .Spec.Containers }}{{ if ne .name `istio-proxy` }}"
     "{{ $n = append $n .name }}{{ end }}{{ end }}{{ $n | join `,` }}", "web"),
    ("{{ printf `%s-%d` `a` 3 }}", "a-3"),
    ("{{ .Values.nothing }}", "<no value>"),
    ("{{ toYaml .ObjectMeta.labels | indent 2 }}", "  app: web"),
    ("{{ and (eq 1 1) (not false) }}", "True"),
])
def test_renders_like_go(source: str, want: str) -> None:
    got = render(source, DATA)
    assert got == (want if want != "True" else "true")


@pytest.mark.parametrize("source", [
    "{{ define \"x\" }}{{ end }}", "{{ template \"x\" }}", "{{ sha256sum .Values }}", "{{ if .X }}",
    "{{ end }}", "{{ (.X }}", "{{ $undefined }}",
])
def test_what_it_cannot_evaluate_is_an_error(source: str) -> None:
    with pytest.raises(TemplateError):
        render(source, DATA)


def test_a_failing_function_is_an_error_not_a_traceback() -> None:
    data: dict[str, Any] = {"v": "not json"}
    with pytest.raises(TemplateError, match="fromJSON"):
        render("{{ fromJSON .v }}", data)
