"""Hostile inputs: YAML of the wrong shape, broken config dumps, binary files. Exit 65, one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

WRONG_SHAPES = {
    "metadata-number": ("apiVersion: v1\nkind: Pod\nmetadata: 5\n", "metadata must be a mapping"),
    "name-and-namespace": ("apiVersion: v1\nkind: Pod\nmetadata: {name: 5, namespace: [a]}\n",
                           "metadata.name must be a string"),
    "labels-and-spec": ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: x\nspec: 5\n",
                        "metadata.labels must be a mapping"),
    "spec-number": ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: 5\n", "spec must be a mapping"),
    "list-items": ("apiVersion: v1\nkind: List\nitems: 5\n", "items must be a list"),
    "recursive-alias": ("a: &a [*a]\n", "recursive YAML alias"),
    "webhooks": ("apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\n"
                 "metadata: {name: istio-sidecar-injector}\nwebhooks: 5\n", "webhooks must be a list"),
    "template": ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: default}\n"
                 "spec:\n  template: 5\n", "spec.template must be a mapping"),
    "container": ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n"
                  "    spec:\n      containers: [{name: a, ports: 5}]\n",
                  "spec.template.spec.containers[0].ports must be a list"),
    "selector": ("apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\n"
                 "metadata: {name: x}\nwebhooks:\n- name: a.sidecar-injector.istio.io\n"
                 "  objectSelector: {matchExpressions: [5]}\n", "matchExpressions[0] must be a mapping"),
}
COMMANDS = {
    "analyze": ("analyze", "--use-kube=false", "-f"),
    "kube-inject": ("kube-inject", "--no-use-kube", "-f"),
    "iptables": ("inject", "iptables", "--no-use-kube", "-f"),
    "check-inject": ("check-inject", "-f"),
    "precheck": ("precheck", "-f"),
}


def _one_clear_line(res, *needles: str) -> None:
    assert res.exit_code == 65, res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert "internal error" not in lines[0] and "Traceback" not in res.stderr
    for needle in needles:
        assert needle in lines[0]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", WRONG_SHAPES)
def test_wrong_shape_is_bad_input(run_cli, tmp_path: Path, case: str, command: str) -> None:
    text, message = WRONG_SHAPES[case]
    path = tmp_path / "in.yaml"
    path.write_text(text)
    res = run_cli(*COMMANDS[command], str(path))
    _one_clear_line(res, f"{path}:1", message)


def test_scalar_labels_become_strings(run_cli, tmp_path: Path) -> None:
    from meshctl.sources.files import load_paths

    path = tmp_path / "in.yaml"
    path.write_text("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: {version: 2, on: true, e: null}\n")
    (res,) = load_paths([str(path)])
    assert res.labels == {"version": "2", "true": "true", "e": ""}


def test_ignore_unknown_skips_wrong_shapes(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "in.yaml"
    path.write_text("apiVersion: v1\nkind: Pod\nmetadata: 5\n---\n"
                    "apiVersion: v1\nkind: Namespace\nmetadata: {name: ok}\n")
    res = run_cli("analyze", "--use-kube=false", "--ignore-unknown", "-f", str(path))
    assert res.exit_code in (0, 79), res.stderr


def test_stream_parse_keeps_lines_and_stdin(run_cli, tmp_path: Path) -> None:
    from meshctl.sources.files import load_paths

    text = ("# c\napiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n\n"
            "apiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n")
    path = tmp_path / "in.yaml"
    path.write_text(text)
    assert [(r.name, r.origin.line) for r in load_paths([str(path)])] == [("a", 2), ("b", 7)]
    json_path = tmp_path / "in.yml"
    json_path.write_text('\n  {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "j"}}')
    assert [r.name for r in load_paths([str(json_path)])] == ["j"]
    res = run_cli("analyze", "--use-kube=false", "-f", "-", stdin="apiVersion: v1\nkind: Pod\nmetadata: 5\n")
    _one_clear_line(res, "-:1", "metadata must be a mapping")


_CLUSTERS = "type.googleapis.com/envoy.admin.v3.ClustersConfigDump"
_LISTENERS = "type.googleapis.com/envoy.admin.v3.ListenersConfigDump"
BAD_DUMPS = {
    "configs-items": ({"configs": [1, {"@type": 5}]}, "configs[0] is not an object"),
    "type": ({"configs": [{"@type": 5}]}, "configs[0].@type is not a string"),
    "section-list": ({"configs": [{"@type": _CLUSTERS, "dynamic_active_clusters": 5}]},
                     "dynamic_active_clusters is not a list"),
    "section-item": ({"configs": [{"@type": _CLUSTERS, "static_clusters": ["x"]}]},
                     "static_clusters[0] is not an object"),
    "wrapper": ({"configs": [{"@type": _CLUSTERS, "dynamic_active_clusters": [{"cluster": 5}]}]},
                "dynamic_active_clusters[0].cluster is not an object"),
    "listener-state": ({"configs": [{"@type": _LISTENERS, "dynamic_listeners": [{"active_state": [1]}]}]},
                       "active_state is not an object"),
}
PC = ["dump", "clusters", "listeners", "routes", "endpoints", "secrets", "bootstrap", "ecds", "all", "diff"]


@pytest.mark.parametrize("sub", PC)
@pytest.mark.parametrize("case", BAD_DUMPS)
def test_broken_config_dump_is_bad_input(run_cli, tmp_path: Path, case: str, sub: str) -> None:
    doc, message = BAD_DUMPS[case]
    path = tmp_path / "c.json"
    path.write_text(json.dumps(doc))
    if sub == "diff":
        good = tmp_path / "ok.json"
        good.write_text('{"configs": []}')
        res = run_cli("pc", "diff", str(good), str(path))
    else:
        res = run_cli("pc", sub, "-f", str(path))
    _one_clear_line(res, "not a readable config dump", message)


@pytest.fixture
def binary(tmp_path: Path) -> Path:
    path = tmp_path / "bin.yaml"
    path.write_bytes(b"a: \xff\xfe\x00\x81garbage\n")
    return path


@pytest.mark.parametrize("args", [
    ("kube-inject", "--no-use-kube", "--mesh-config", "{bin}", "-f", "{pod}"),
    ("kube-inject", "--no-use-kube", "--values", "{bin}", "-f", "{pod}"),
    ("kube-inject", "--no-use-kube", "--injection-config", "{bin}", "-f", "{pod}"),
    ("kube-inject", "--no-use-kube", "-f", "{bin}"),
    ("inject", "iptables", "--no-use-kube", "-f", "{bin}"),
    ("manifest", "generate", "-f", "{bin}"),
    ("analyze", "-A", "--kubeconfig", "{bin}"),
    ("analyze", "--use-kube=false", "--meshConfigFile", "{bin}", "-f", "{pod}"),
    ("analyze", "--use-kube=false", "-f", "{bin}"),
], ids=lambda a: " ".join(x for x in a if not x.startswith("{")))
def test_binary_file_is_bad_input(run_cli, tmp_path: Path, binary: Path, args: tuple[str, ...]) -> None:
    pod = tmp_path / "pod.yaml"
    pod.write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: b}]\n")
    res = run_cli(*(a.format(bin=binary, pod=pod) for a in args))
    _one_clear_line(res, str(binary), "UTF-8")


def test_iptables_skips_a_pod_that_opts_out(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "kinds.yaml"
    path.write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: p1}\nspec: {containers: [{name: a}]}\n---\n"
                    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p2\n"
                    "  annotations: {sidecar.istio.io/inject: \"false\"}\nspec: {containers: [{name: a}]}\n")
    res = run_cli("inject", "iptables", "--no-use-kube", "-f", str(path), "p2")
    assert res.exit_code == 0, res.stderr
    assert res.stdout.strip() == ""
    assert "p2 will not be injected" in res.stderr and len(res.stderr.strip().splitlines()) == 1
    res = run_cli("inject", "iptables", "--no-use-kube", "-f", str(path), "p1")
    assert res.exit_code == 0 and "*nat" in res.stdout
