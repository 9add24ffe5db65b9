"""Hostile inputs: YAML of the wrong shape, broken config dumps, binary files. Exit 65, one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import SHARED_ISTIO
from tests.fuzz.cases import YAML_READERS

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


# -- issue 14: one loading layer with one set of guards, for every reader ------------------

_LOL = "".join(f"{c}: &{c} [{', '.join([f'*{p}'] * 9) if p else ', '.join(['lol'] * 9)}]\n"
               for p, c in zip(["", *"abcdefgh"], "abcdefghi", strict=True))
GUARDED = {
    "huge-int": (b"n: " + b"9" * 5000 + b"\n", "more than 4300 digits"),
    "huge-int-json": (b'{"n": ' + b"9" * 5000 + b"}", "more than 4300 digits"),
    "deep-flow": (b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n", "levels deep"),
    "deep-block": ("".join("  " * i + "a:\n" for i in range(400)).encode(), "levels deep"),
    "deep-json": (b'{"a": ' + b"[" * 5000 + b"]" * 5000 + b"}", "levels deep"),
    "complex-key": (b"? [a, b]\n: c\n", "complex YAML keys"),
    "str-tag-on-mapping": (b"--- !!str\na: b\n", "cannot be applied to a mapping"),
    "alias-bomb": (_LOL.encode(), "alias bomb"),
    "invalid-utf8": (b"a: \xff\xfe\n", "not UTF-8"),
    "lone-surrogate": (b'{"a": "\\ud800"}', "surrogate"),
    "nul-byte": (b"a: b\x00c\n", "NUL byte"),
    "python-tag": (b"a: !!python/object/apply:os.system [true]\n", "!!python/object/apply:os.system"),
    "unknown-scalar-tag": (b"a: !!python/name:os.system x\n", "unsupported YAML tag"),
}
#: every reader of YAML input (the fuzz suite's table) and one of Envoy dumps
READERS = {**YAML_READERS, "pc dump -f": ("pc", "dump", "-f", "{f}")}
_POD = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: b}]\n"


def _argv(reader: str, path: Path, pod: Path) -> list[str]:
    return [a.format(f=path, pod=pod, charts=SHARED_ISTIO / "charts") for a in READERS[reader]]


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("case", GUARDED)
def test_every_reader_guards_the_same(run_cli, tmp_path: Path, case: str, reader: str) -> None:
    data, message = GUARDED[case]
    if reader == "pc dump -f" and not data.lstrip().startswith(b"{") and message not in ("not UTF-8", "NUL byte"):
        pytest.skip("a config dump is JSON: YAML-only hazards do not apply")
    path = tmp_path / ("in.json" if data.startswith(b"{") else "in.yaml")
    path.write_bytes(data)
    pod = tmp_path / "pod.yaml"
    pod.write_text(_POD)
    res = run_cli(*_argv(reader, path, pod))
    _one_clear_line(res, message)


def _stdin_bytes(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


@pytest.mark.parametrize("args", [("analyze", "--use-kube=false", "-f", "-"), ("pc", "dump", "-f", "-"),
                                  ("kube-inject", "--no-use-kube", "-f", "-"), ("manifest", "generate", "-f", "-")])
def test_invalid_utf8_on_stdin_is_bad_input_as_by_path(run_cli, monkeypatch: pytest.MonkeyPatch,
                                                       args: tuple[str, ...]) -> None:
    _stdin_bytes(monkeypatch, b'{"a": "\xff"}')
    _one_clear_line(run_cli(*args), "stdin", "not UTF-8")


def test_wrong_types_in_config_files_name_the_field(run_cli, tmp_path: Path) -> None:
    pod = tmp_path / "pod.yaml"
    pod.write_text(_POD)
    mesh = tmp_path / "mesh.yaml"
    mesh.write_text("defaultConfig:\n  proxyMetadata: true\n")
    res = run_cli("analyze", "--use-kube=false", "--meshConfigFile", str(mesh), "-f", str(pod))
    _one_clear_line(res, "meshConfig.defaultConfig.proxyMetadata must be a mapping")
    res = run_cli("kube-inject", "--no-use-kube", "--mesh-config", str(mesh), "-f", str(pod))
    _one_clear_line(res, "meshConfig.defaultConfig.proxyMetadata must be a mapping")
    injector = tmp_path / "injector.yaml"
    injector.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: istio-sidecar-injector}\ndata: 5\n")
    res = run_cli("kube-inject", "--no-use-kube", "--injection-config", str(injector), "-f", str(pod))
    _one_clear_line(res, "data must be a mapping")
    res = run_cli("analyze", "--use-kube=false", "-f", str(injector))
    _one_clear_line(res, "data must be a mapping")


def test_alias_expansion_is_bounded_but_ordinary_aliases_work(tmp_path: Path) -> None:
    from meshctl.sources.loading import yaml_value

    merged = yaml_value("base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\nl: [*b, *b]\n", "t.yaml")
    assert merged["m"] == {"x": 1, "y": 3} and merged["l"] == [{"x": 1, "y": 2}] * 2
    assert merged["l"][0] is not merged["l"][1]  # each alias is its own copy, as the old loader made them
    with pytest.raises(Exception, match="alias bomb"):
        yaml_value(_LOL, "t.yaml")


def test_bomb_as_mesh_config_is_bad_input_not_a_finding(run_cli, tmp_path: Path) -> None:
    bomb = tmp_path / "mesh.yaml"
    bomb.write_text(_LOL)
    pod = tmp_path / "pod.yaml"
    pod.write_text(_POD)
    res = run_cli("analyze", "--use-kube=false", "--meshConfigFile", str(bomb), "-f", str(pod), "--timeout", "5")
    _one_clear_line(res, "alias bomb")
    assert "IST0001" not in res.stdout


# -- special files, endless input, the size limit ------------------------------------------

@pytest.mark.parametrize("args", [("pc", "dump", "-f", "{f}"), ("analyze", "--use-kube=false", "-f", "{f}"),
                                  ("kube-inject", "--no-use-kube", "-f", "{f}"), ("manifest", "generate", "-f", "{f}"),
                                  ("kube-inject", "--no-use-kube", "--values", "{f}", "-f", "{pod}")])
def test_fifo_without_writer_stops_at_the_deadline(run_cli, tmp_path: Path, args: tuple[str, ...]) -> None:
    import os

    fifo = tmp_path / "f.yaml"
    os.mkfifo(fifo)
    pod = tmp_path / "pod.yaml"
    pod.write_text(_POD)
    res = run_cli(*(a.format(f=fifo, pod=pod) for a in args), "--timeout", "0.5")
    assert res.exit_code == 1, res.stderr
    (line,) = res.stderr.strip().splitlines()
    assert "timed out after 0.5s" in line and f"waiting for data from {fifo} (a named pipe)" in line


def test_fifo_with_a_writer_is_read_like_stdin(run_cli, tmp_path: Path) -> None:
    import os
    import threading

    fifo = tmp_path / "f.yaml"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_text("apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n"))
    writer.start()
    res = run_cli("analyze", "--use-kube=false", "-f", str(fifo), "--timeout", "10")
    writer.join()
    assert res.exit_code == 0, res.stderr


@pytest.mark.parametrize("args", [("pc", "dump", "-f", "/dev/zero"), ("analyze", "--use-kube=false", "-f", "/dev/zero"),
                                  ("kube-inject", "--no-use-kube", "-f", "/dev/zero"),
                                  ("manifest", "generate", "-f", "/dev/zero"),
                                  ("analyze", "--use-kube=false", "-f", "/dev/urandom")])
def test_devices_are_bad_input_at_once(run_cli, args: tuple[str, ...]) -> None:
    res = run_cli(*args, "--timeout", "5")
    _one_clear_line(res, "(a character device)")


def test_directories_and_sockets_have_a_message_of_their_own(run_cli, tmp_path: Path) -> None:
    import socket

    res = run_cli("pc", "dump", "-f", str(tmp_path))
    _one_clear_line(res, "is a directory")
    sock_path = tmp_path / "s.yaml"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(sock_path))
    try:
        _one_clear_line(run_cli("analyze", "--use-kube=false", "-f", str(sock_path)), "is a socket")
    finally:
        sock.close()


class _Endless:
    """stdin that never ends."""

    def __init__(self) -> None:
        self.buffer = self

    def read(self, size: int = -1) -> bytes:
        return b"a: b\n" * (max(size, 5) // 5)


@pytest.mark.parametrize("args", [("analyze", "--use-kube=false", "-f", "-"), ("pc", "dump", "-f", "-"),
                                  ("manifest", "generate", "-f", "-")])
def test_endless_stdin_stops_at_the_size_limit(run_cli, monkeypatch: pytest.MonkeyPatch,
                                               args: tuple[str, ...]) -> None:
    import sys

    monkeypatch.setattr(sys, "stdin", _Endless())
    res = run_cli(*args, "--max-input-size", "1Mi")
    _one_clear_line(res, "stdin", "larger than the input limit of 1 MiB (--max-input-size)")


def test_a_file_over_the_limit_is_refused_before_reading(run_cli, tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("a: b\n" * 1000)
    res = run_cli("analyze", "--use-kube=false", "-f", str(big), "--max-input-size=4KiB")
    _one_clear_line(res, "5000 bytes, larger than the input limit of 4 KiB")


@pytest.mark.parametrize("value", ["lots", "0", "-5", "1e300", "2Ti"])
def test_max_input_size_must_be_a_size(run_cli, value: str) -> None:
    res = run_cli("version", "--max-input-size", value)
    assert res.exit_code == 64 and "--max-input-size must be a size" in res.stderr


# -- the deadline: every command, durations, a tool failure ---------------------------------

@pytest.mark.parametrize("value", ["inf", "1e300", "-1", "0", "nan", "soon"])
@pytest.mark.parametrize("command", [("analyze", "--use-kube=false", "-f", "-"), ("pc", "dump", "-f", "-"),
                                     ("manifest", "generate")])
def test_impossible_timeouts_are_usage_errors(run_cli, command: tuple[str, ...], value: str) -> None:
    res = run_cli(*command, "--timeout", value, stdin="")
    assert res.exit_code == 64, res.stderr
    assert len(res.stderr.strip().splitlines()) == 1 and "--timeout must be a duration" in res.stderr


@pytest.mark.parametrize("value", ["30s", "5m", "1h", "2.5", "1m30s"])
def test_durations_are_accepted(run_cli, tmp_path: Path, value: str) -> None:
    path = tmp_path / "ns.yaml"
    path.write_text("apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n")
    res = run_cli("analyze", "--use-kube=false", "-f", str(path), "--timeout", value)
    assert res.exit_code == 0, res.stderr


@pytest.mark.parametrize(("args", "seconds"), [(("pc", "dump", "-f", "{f}"), 10.0),
                                               (("analyze", "--use-kube=false", "-f", "{f}"), 30.0),
                                               (("manifest", "generate", "-f", "{f}"), 30.0),
                                               (("pc", "dump", "-f", "{f}", "--timeout", "2m"), 120.0)])
def test_the_default_deadline_is_armed_without_timeout(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       args: tuple[str, ...], seconds: float) -> None:
    """Each command's documented --timeout default bounds it even when --timeout is not given."""
    from meshctl.env import current
    from meshctl.sources import loading

    seen: list[tuple[float, str]] = []
    real = loading.read_text

    def spy(path: str, env=None) -> str:  # type: ignore[no-untyped-def]
        seen.append((current().deadline.seconds, current().deadline.source))
        return real(path, env)

    monkeypatch.setattr(loading, "read_text", spy)
    path = tmp_path / "in.json"
    path.write_text("[")
    res = run_cli(*(a.format(f=path) for a in args))
    assert res.exit_code == 65, res.stderr
    assert seen and seen[0] == (seconds, "--timeout")


def test_commands_without_timeout_have_the_default_deadline() -> None:
    from meshctl.deadline import DEFAULT_SECONDS
    from meshctl.env import Environment

    assert Environment().deadline.seconds == DEFAULT_SECONDS == 30.0


def test_a_deadline_in_an_analyzer_is_a_tool_failure_not_ist0001(run_cli, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from meshctl.analysis import registry

    path = tmp_path / "ns.yaml"
    path.write_text("apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n")
    analyzer = registry.all_analyzers()["service.PortNameAnalyzer"]

    def slow(self, ctx) -> None:  # type: ignore[no-untyped-def]
        from meshctl.env import current

        time.sleep(0.3)
        current().deadline.check("slow analyzer")

    monkeypatch.setattr(analyzer, "analyze", slow)
    res = run_cli("analyze", "--use-kube=false", "-f", str(path), "--timeout", "0.2",
                  "--analyzer", "service.PortNameAnalyzer")
    assert res.exit_code == 1, res.stdout + res.stderr
    assert "IST0001" not in res.stdout
    (line,) = res.stderr.strip().splitlines()
    assert "timed out after 0.2s" in line and "slow analyzer" in line


def test_no_color_and_debug_leave_the_process_environment_alone(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    import meshctl.cli.version as version_module
    from meshctl.cli import options
    from meshctl.env import current

    seen: dict[str, object] = {}

    def spy(text: str) -> None:
        env = current()
        seen.update(no_color=env.no_color, debug=env.debug, color=options.colors_enabled(),
                    environ=dict(os.environ))

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr(version_module, "emit", spy)
    res = run_cli("version", "--no-color", "--debug")
    assert res.exit_code == 0, res.stderr
    assert seen["no_color"] is True and seen["debug"] is True and seen["color"] is False
    environ = seen["environ"]
    assert isinstance(environ, dict) and "NO_COLOR" not in environ and "MESHCTL_DEBUG" not in environ


def test_docs_limits_states_the_defaults_the_code_has() -> None:
    """docs/limits.md is the one place that states the limits: it must say what the code does."""
    import re

    import typer

    from meshctl.cli.app import COMMANDS, build_command
    from meshctl.deadline import DEFAULT_SECONDS
    from meshctl.env import Limits

    text = (Path(__file__).resolve().parents[2] / "docs" / "limits.md").read_text(encoding="utf-8")
    limits = Limits()
    assert limits.max_input_size == 1 << 30 and "| 1 GiB |" in text
    assert f"| {limits.max_depth} levels |" in text
    assert f"| {limits.max_alias_nodes:,} |" in text and f"more than {limits.max_alias_nodes} nodes" in text
    assert f"| {limits.max_int_digits:,} (Python's own limit) |" in text
    stated: dict[str, float] = {}  # first word of a command -> the default the table gives it
    for row in re.finditer(r"^\| (.+?) \| (\d+) s \|$", text, re.M):
        stated.update({name: float(row.group(2)) for name in re.findall(r"`([a-z-]+)", row.group(1))})
    assert stated.pop("version") == stated.pop("completion") == DEFAULT_SECONDS

    def defaults(cmd, path: str):  # type: ignore[no-untyped-def]
        if hasattr(cmd, "list_commands"):
            ctx = typer.Context(cmd)
            subs = [cmd.get_command(ctx, n) for n in cmd.list_commands(ctx)]
            if any(subs):
                for sub in subs:
                    if sub is not None and not sub.hidden:
                        yield from defaults(sub, path)
                return
        found = [p.default for p in cmd.params if p.name == "timeout"]
        yield path, (found[0] if found else DEFAULT_SECONDS)

    for name, entry in COMMANDS.items():
        if entry.hidden or name in ("version", "completion"):
            continue
        for path, seconds in defaults(build_command(name), name):
            said = stated.get(path.split()[0])
            assert said == seconds, f"docs/limits.md says {said} s for {path}, the code {seconds}"
