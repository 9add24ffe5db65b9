"""Seeded generation of hostile inputs for every reader, each with the answers the contract allows.

A case is the input (bytes written to a file, fed on stdin, or a special file), the command
line that reads it, the exit codes the contract allows for it (``65`` for input a guard must
refuse; ``0``/``79``/``65`` for damaged but possibly readable input; ``1`` only for a
deadline), and whether a planted secret may appear in the output (only where the command
prints its input back by design: kube-inject, manifest generate).
"""

from __future__ import annotations

import base64
import contextlib
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

SECRET = "PLANTED-SECRET-9f3c2e71"
SECRET_B64 = base64.b64encode(SECRET.encode()).decode()
SECRET_FORMS = (SECRET, SECRET_B64)

POD = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: default}\nspec:\n  containers: [{name: a, image: b}]\n"


@dataclass
class Case:
    """One generated run."""

    family: str
    reader: str
    argv: list[str]
    data: bytes | None = None  # written to {f} (or fed on stdin with ``stdin``)
    stdin: bool = False
    special: str = ""  # "fifo" (no writer), "endless" (stdin never ends), or a device path
    allowed: frozenset[int] = frozenset({65})
    secret_may_echo: bool = False
    stderr_has: str = ""
    timeout: float = 10.0  # generous: two cores shared with other work; a deadline hit is reported as such
    extra: list[str] = field(default_factory=list)


# -- readers ---------------------------------------------------------------------------------

YAML_READERS: dict[str, tuple[str, ...]] = {
    "analyze -f": ("analyze", "--use-kube=false", "-f", "{f}"),
    "analyze --meshConfigFile": ("analyze", "--use-kube=false", "--meshConfigFile", "{f}", "-f", "{pod}"),
    "analyze --meshNetworksFile": ("analyze", "--use-kube=false", "--meshNetworksFile", "{f}", "-f", "{pod}"),
    "kube-inject -f": ("kube-inject", "--no-use-kube", "-f", "{f}"),
    "kube-inject --values": ("kube-inject", "--no-use-kube", "--values", "{f}", "-f", "{pod}"),
    "kube-inject --mesh-config": ("kube-inject", "--no-use-kube", "--mesh-config", "{f}", "-f", "{pod}"),
    "kube-inject --injection-config": ("kube-inject", "--no-use-kube", "--injection-config", "{f}", "-f", "{pod}"),
    "inject iptables -f": ("inject", "iptables", "--no-use-kube", "-f", "{f}"),
    "check-inject -f": ("check-inject", "-f", "{f}"),
    "precheck -f": ("precheck", "-f", "{f}"),
    "manifest generate -f": ("manifest", "generate", "-f", "{f}", "--charts", "{charts}"),
    "analyze --kubeconfig": ("analyze", "-A", "--kubeconfig", "{f}"),
}
DUMP_READERS: dict[str, tuple[str, ...]] = {
    "pc dump -o json": ("pc", "dump", "-f", "{f}", "-o", "json"),
    "pc dump -o yaml": ("pc", "dump", "-f", "{f}", "-o", "yaml"),
    "pc clusters": ("pc", "clusters", "-f", "{f}"),
    "pc listeners -o json": ("pc", "listeners", "-f", "{f}", "-o", "json"),
    "pc routes": ("pc", "routes", "-f", "{f}"),
    "pc secrets -o json": ("pc", "secrets", "-f", "{f}", "-o", "json"),
    "pc secrets -o yaml": ("pc", "secrets", "-f", "{f}", "-o", "yaml"),
    "pc all -o json": ("pc", "all", "-f", "{f}", "-o", "json"),
    "pc bootstrap": ("pc", "bootstrap", "-f", "{f}"),
    "pc endpoints": ("pc", "endpoints", "-f", "{f}"),
}
#: readers whose output is their input transformed: a secret in the input may be printed back
ECHOING = ("kube-inject", "manifest generate")
#: readers that may fail for reasons other than the input (kubeconfig pointing nowhere: exit 1)
CLUSTER_READERS = ("analyze --kubeconfig", "check-inject -f")


# -- seeds: valid documents to damage ----------------------------------------------------------

def _secret_doc() -> str:
    return ("apiVersion: v1\nkind: Secret\nmetadata: {name: creds, namespace: default}\ntype: Opaque\n"
            f"data:\n  token: {SECRET_B64}\nstringData:\n  password: {SECRET}\n")


YAML_SEEDS: tuple[str, ...] = (
    POD,
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: default\n  labels: {app: web}\n"
    "spec:\n  replicas: 2\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n"
    "      labels: {app: web, version: v1}\n      annotations:\n        proxy.istio.io/config: |\n"
    "          holdApplicationUntilProxyStarts: true\n    spec:\n      containers:\n      - name: web\n"
    "        image: nginx:1.25\n        ports:\n        - containerPort: 8080\n          name: http\n",
    "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: default}\nspec:\n  selector: {app: web}\n"
    "  ports:\n  - {name: http, port: 80, targetPort: 8080}\n",
    "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: vs, namespace: default}\n"
    "spec:\n  hosts: [web]\n  http:\n  - route:\n    - destination: {host: web, subset: v1}\n      weight: 100\n",
    "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: dr, namespace: default}\n"
    "spec:\n  host: web\n  subsets:\n  - name: v1\n    labels: {version: v1}\n  trafficPolicy:\n"
    "    tls: {mode: ISTIO_MUTUAL}\n",
    "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: gw, namespace: default}\nspec:\n"
    "  selector: {istio: ingressgateway}\n  servers:\n  - port: {number: 443, name: https, protocol: HTTPS}\n"
    "    hosts: ['*']\n    tls: {mode: SIMPLE, credentialName: creds}\n",
    _secret_doc(),
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: istio, namespace: istio-system}\ndata:\n  mesh: |\n"
    "    rootNamespace: istio-system\n    defaultConfig:\n      proxyMetadata: {ISTIO_META_DNS_CAPTURE: 'true'}\n",
    "apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\n"
    "metadata: {name: istio-sidecar-injector}\nwebhooks:\n- name: sidecar-injector.istio.io\n"
    "  namespaceSelector:\n    matchExpressions:\n    - {key: istio-injection, operator: In, values: [enabled]}\n"
    "  clientConfig: {service: {name: istiod, namespace: istio-system, path: /inject}}\n",
    "rootNamespace: istio-system\ntrustDomain: cluster.local\ndefaultConfig:\n  proxyMetadata: {A: b}\n"
    "extensionProviders:\n- name: otel\n  opentelemetry: {service: otel.svc, port: 4317}\n",
    "global:\n  hub: docker.io/istio\n  tag: 1.28.0\n  proxy:\n    statusPort: 15020\n    resources:\n"
    "      requests: {cpu: 100m, memory: 128Mi}\n",
    "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n  profile: minimal\n  values:\n"
    "    global: {hub: docker.io/istio}\n",
    "networks:\n  n1:\n    endpoints: [{fromRegistry: c1}]\n    gateways: [{address: 1.2.3.4, port: 15443}]\n",
    "apiVersion: v1\nkind: List\nitems:\n- " + POD.replace("\n", "\n  ").rstrip() + "\n",
    "base: &b {app: web}\nmerged:\n  <<: *b\n  extra: [*b, *b]\n",
)


def dump_seed() -> dict[str, object]:
    """A small config dump with every kind of secret Envoy marks sensitive, all planted."""
    tls = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3"
    return {"configs": [
        {"@type": "type.googleapis.com/envoy.admin.v3.BootstrapConfigDump",
         "bootstrap": {"node": {"id": "sidecar~10.0.0.1~p.default~default.svc.cluster.local",
                                "metadata": {"NAMESPACE": "default"}}}},
        {"@type": "type.googleapis.com/envoy.admin.v3.ClustersConfigDump", "static_clusters": [{"cluster": {
            "@type": "type.googleapis.com/envoy.config.cluster.v3.Cluster", "name": "outbound|80||web.default.svc",
            "type": "EDS", "transport_socket": {"name": "tls", "typed_config": {
                "@type": f"{tls}.UpstreamTlsContext", "common_tls_context": {"tls_certificates": [{
                    "certificate_chain": {"inline_string": "-----BEGIN CERTIFICATE-----"},
                    "private_key": {"inline_string": SECRET}}]}}}}}]},
        {"@type": "type.googleapis.com/envoy.admin.v3.ListenersConfigDump", "dynamic_listeners": [{
            "name": "0.0.0.0_80", "active_state": {"listener": {
                "@type": "type.googleapis.com/envoy.config.listener.v3.Listener", "name": "0.0.0.0_80",
                "address": {"socket_address": {"address": "0.0.0.0", "port_value": 80}},
                "filter_chains": [{"filters": [{"name": "envoy.filters.network.http_connection_manager",
                                                "typed_config": {
                    "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3."
                             "HttpConnectionManager",
                    "http_filters": [{"name": "envoy.filters.http.basic_auth", "typed_config": {
                        "@type": "type.googleapis.com/envoy.extensions.filters.http.basic_auth.v3.BasicAuth",
                        "users": {"inline_string": f"user:{SECRET}"}}}]}}]}]}}}]},
        {"@type": "type.googleapis.com/envoy.admin.v3.SecretsConfigDump", "dynamic_active_secrets": [
            {"name": "default", "secret": {"@type": f"{tls}.Secret", "name": "default", "tls_certificate": {
                "certificate_chain": {"inline_bytes": base64.b64encode(b"CERT").decode()},
                "private_key": {"inline_bytes": SECRET_B64}, "pkcs12": {"inline_bytes": SECRET_B64},
                "password": {"inline_string": SECRET}}}},
            {"name": "generic", "secret": {"@type": f"{tls}.Secret", "name": "generic",
                                           "generic_secret": {"secret": {"inline_string": SECRET}}}},
            {"name": "stk", "secret": {"@type": f"{tls}.Secret", "name": "stk",
                                       "session_ticket_keys": {"keys": [{"inline_bytes": SECRET_B64}]}}}]},
    ]}


# -- hostile payloads that a guard must refuse (65) ----------------------------------------------

def _bomb(rnd: random.Random) -> bytes:
    width, levels = rnd.randint(6, 12), rnd.randint(7, 10)
    names = [f"l{i}" for i in range(levels)]
    lines = [f"{names[0]}: &{names[0]} [{', '.join(['lol'] * width)}]"]
    for prev, name in zip(names, names[1:], strict=False):
        lines.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * width)}]")
    return ("\n".join(lines) + "\n").encode()


def _deep(rnd: random.Random) -> bytes:
    depth = rnd.choice([101, 150, 1000, 5000, 50_000, 200_000])
    style = rnd.choice(["flow", "map-flow", "block", "json"])
    if style == "flow":
        return b"a: " + b"[" * depth + b"]" * depth + b"\n"
    if style == "map-flow":
        return b"a: " + b"{a: " * depth + b"1" + b"}" * depth + b"\n"
    if style == "json":
        return b'{"a": ' + b"[" * depth + b"]" * depth + b"}"
    depth = min(depth, 3000)
    return "".join("  " * i + "a:\n" for i in range(depth)).encode() + b"  " * depth + b"b\n"


def _bigint(rnd: random.Random) -> bytes:
    digits = str(rnd.randint(1, 9)) + "".join(rnd.choice("0123456789") for _ in range(rnd.randint(4300, 20_000)))
    sign = rnd.choice(["", "-", "+"])
    if rnd.random() < 0.4:
        return ('{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "n": ' + sign.lstrip("+")
                + digits + "}").encode()
    return f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: x}}\nn: {sign}{digits}\n".encode()


def _complex_key(rnd: random.Random) -> bytes:
    return rnd.choice([b"? [a, b]\n: c\n", b"? {a: 1}\n: c\n", b"{[a]: 1}\n", b"a:\n  ? - x\n  : y\n",
                       b"apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    ? [x]\n    : y\n"])


def _collection_tag(rnd: random.Random) -> bytes:
    tag = rnd.choice(["!!str", "!!int", "!!float", "!!bool", "!!null", "!!binary", "!!timestamp", "!!omap",
                      "!!set", "!!python/tuple"])
    return rnd.choice([f"--- {tag}\na: b\n", f"a: {tag} [1, 2]\n", f"a: {tag}\n  b: c\n", f"{tag} {{a: b}}\n"]).encode()


def _recursive_alias(rnd: random.Random) -> bytes:
    return rnd.choice([b"a: &a [*a]\n", b"a: &a {b: *a}\n", b"&x [1, *x]\n", b"a: &a\n  b:\n    c: *a\n"])


def _invalid_utf8(rnd: random.Random) -> bytes:
    bad = rnd.choice([b"\xff", b"\xfe\xff", b"\xc3\x28", b"\xe2\x82", b"\xf0\x28\x8c\xbc", b"\xed\xa0\x80",
                      b"\x80", bytes(rnd.randrange(128, 256) for _ in range(8))])
    seed = rnd.choice(YAML_SEEDS).encode()
    at = rnd.randrange(len(seed))
    return seed[:at] + bad + seed[at:]


def _lone_surrogate(rnd: random.Random) -> bytes:
    esc = rnd.choice(["\\ud800", "\\udfff", "\\udc00x", "\\ud83d"])
    return rnd.choice([f'{{"a": "{esc}"}}', f'{{"{esc}": 1}}',
                       f'{{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {{"name": "{esc}"}}}}',
                       f'{{"configs": [{{"@type": "{esc}"}}]}}']).encode()


def _nul(rnd: random.Random) -> bytes:
    seed = rnd.choice(YAML_SEEDS).encode()
    at = rnd.randrange(len(seed))
    return seed[:at] + b"\x00" * rnd.randint(1, 4) + seed[at:]


def _unknown_tag(rnd: random.Random) -> bytes:
    return rnd.choice([b"a: !!python/object/apply:os.system [id]\n", b"a: !!python/name:os.system x\n",
                       b"a: !custom 5\n", b"a: !!int abc\n", b"a: !!float x\n"])


def _wrong_type(rnd: random.Random) -> bytes:
    return rnd.choice([
        b"apiVersion: v1\nkind: Pod\nmetadata: 5\n",
        b"apiVersion: v1\nkind: Pod\nmetadata: {name: [a]}\n",
        b"apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: x}\n",
        b"apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: 5\n",
        b"apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: 5}\n",
        b"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {template: 5}\n",
        b"apiVersion: v1\nkind: List\nitems: 5\n",
        b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: istio-sidecar-injector}\ndata: 5\n",
        b"apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: [" + SECRET_B64.encode() + b"]\n",
        b"apiVersion: 5\nkind: Pod\nmetadata: {name: p}\n",
    ])


GUARDED: dict[str, Callable[[random.Random], bytes]] = {
    "alias-bomb": _bomb, "deep-nesting": _deep, "huge-integer": _bigint, "complex-key": _complex_key,
    "tag-on-collection": _collection_tag, "recursive-alias": _recursive_alias, "invalid-utf8": _invalid_utf8,
    "lone-surrogate": _lone_surrogate, "nul-byte": _nul, "unknown-tag": _unknown_tag,
}
#: payloads that are bad input for a -f object reader but may be valid values for a config reader
OBJECT_ONLY = {"wrong-type": _wrong_type}
MESH_WRONG_TYPES = (b"defaultConfig:\n  proxyMetadata: true\n", b"defaultConfig: 5\n",
                    b"defaultConfig:\n  proxyMetadata: {A: [1]}\n", b"extensionProviders: 5\n",
                    b"rootNamespace: [a]\n")


# -- damage to valid documents (any answer but a crash) -----------------------------------------

_TOKENS = ("&a ", "*a", "!!str ", "? ", "[", "]", "{", "}", '"', "'", "\t", "- ", "<<: ", ": ", "---\n", "...\n",
           "%YAML 1.1\n", "|\n", ">-\n", "#", "\\", "\ufeff", "\u2028", "~", "0x", "1e400", ".nan", "-.inf", "null",
           "yes", "off", "2001-01-01", "!!binary ", "=", "@", "`", "%", "\r", "\r\n", "  ", "\n")


def mutate(rnd: random.Random, text: str) -> bytes:
    """``text`` damaged a few times: truncated, lines dropped, doubled or re-indented, tokens inserted."""
    lines = text.splitlines(keepends=True) or [""]
    for _ in range(rnd.randint(1, 4)):
        op = rnd.randrange(7)
        i = rnd.randrange(len(lines))
        if op == 0 and len(lines) > 1:
            del lines[i]
        elif op == 1:
            lines.insert(i, lines[i])
        elif op == 2:
            lines[i] = " " * rnd.randint(1, 5) + lines[i]
        elif op == 3:
            at = rnd.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:at] + rnd.choice(_TOKENS) + lines[i][at:]
        elif op == 4:
            lines[i] = lines[i].lstrip()
        elif op == 5:
            other = rnd.choice(YAML_SEEDS).splitlines(keepends=True)
            lines[i:i] = other[: rnd.randint(1, len(other))]
        else:
            lines = lines[: i + 1]
    out = "".join(lines)
    if rnd.random() < 0.3:
        out = out[: rnd.randrange(len(out) + 1)]
    return out.encode("utf-8", "surrogatepass")


def mutate_json(rnd: random.Random, doc: object) -> bytes:
    """A dump damaged as JSON: values replaced, sections dropped, or the text truncated."""
    text = json.dumps(doc)
    op = rnd.randrange(4)
    if op == 0:
        return text[: rnd.randrange(len(text))].encode()
    if op == 1:
        at = rnd.randrange(len(text))
        return (text[:at] + rnd.choice(['"', "{", "]", ",", "5", "null", "true", "[]", "{}", "-"]) + text[at:]).encode()
    value = json.loads(text)
    nodes: list[tuple[object, object]] = []
    stack: list[object] = [value]
    while stack:
        node = stack.pop()
        keys = list(node) if isinstance(node, dict) else range(len(node)) if isinstance(node, list) else []
        for key in keys:
            nodes.append((node, key))
            stack.append(node[key])  # type: ignore[index]
    for _ in range(rnd.randint(1, 3)):
        parent, key = rnd.choice(nodes)
        replacement = rnd.choice([5, "x", None, True, [], {}, [1], {"a": 1}, -1, 1e308, "9" * 30])
        with contextlib.suppress(TypeError, IndexError):
            parent[key] = replacement  # type: ignore[index]
    return json.dumps(value).encode()


# -- the generator ----------------------------------------------------------------------------

def _reader(rnd: random.Random, readers: dict[str, tuple[str, ...]]) -> str:
    return rnd.choice(sorted(readers))


def generate(seed: int, count: int, shared_dumps: list[Path] | None = None) -> list[Case]:
    """``count`` cases from ``seed`` (the same seed gives the same cases)."""
    rnd = random.Random(seed)
    dumps = [dump_seed()]
    for path in shared_dumps or []:
        try:
            dumps.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
    families: list[tuple[str, float]] = [("guarded", 0.34), ("object-wrong-type", 0.06), ("mesh-wrong-type", 0.04),
                                         ("mutated-yaml", 0.26), ("mutated-dump", 0.14), ("secret", 0.08),
                                         ("special", 0.05), ("stdin", 0.03)]
    names, weights = zip(*families, strict=True)
    cases: list[Case] = []
    while len(cases) < count:
        family = rnd.choices(names, weights)[0]
        cases.append(_case(rnd, family, dumps))
    return cases


def _case(rnd: random.Random, family: str, dumps: list[object]) -> Case:
    case = _make(rnd, family, dumps)
    if case.reader.startswith("manifest generate") and case.timeout < 30 and "timed out" not in (case.stderr_has or ""):
        case.timeout = 30.0  # rendering Istio's charts is the slowest reader by far (not for a deadline case)
    return case


def _make(rnd: random.Random, family: str, dumps: list[object]) -> Case:
    if family == "guarded":
        kind = rnd.choice(sorted(GUARDED))
        data = GUARDED[kind](rnd)
        readers = {**YAML_READERS, **DUMP_READERS} if data.lstrip().startswith(b"{") or kind in (
            "invalid-utf8", "nul-byte") else YAML_READERS
        reader = _reader(rnd, readers)
        return Case(f"guarded:{kind}", reader, list(readers[reader]), data, allowed=frozenset({65}))
    if family == "object-wrong-type":
        readers = {k: v for k, v in YAML_READERS.items() if k in ("analyze -f", "kube-inject -f", "precheck -f",
                                                                  "inject iptables -f")}
        reader = _reader(rnd, readers)
        return Case(family, reader, list(readers[reader]), _wrong_type(rnd), allowed=frozenset({65}))
    if family == "mesh-wrong-type":
        readers = {k: YAML_READERS[k] for k in ("analyze --meshConfigFile", "kube-inject --mesh-config")}
        reader = _reader(rnd, readers)
        return Case(family, reader, list(readers[reader]), rnd.choice(MESH_WRONG_TYPES), allowed=frozenset({65}),
                    stderr_has="meshConfig.")
    if family == "mutated-yaml":
        reader = _reader(rnd, YAML_READERS)
        data = mutate(rnd, rnd.choice(YAML_SEEDS))
        allowed = {0, 65, 79} | ({1} if reader in CLUSTER_READERS else set())
        return Case(family, reader, list(YAML_READERS[reader]), data, allowed=frozenset(allowed),
                    secret_may_echo=reader.startswith(ECHOING))
    if family == "mutated-dump":
        reader = _reader(rnd, DUMP_READERS)
        return Case(family, reader, list(DUMP_READERS[reader]), mutate_json(rnd, rnd.choice(dumps)),
                    allowed=frozenset({0, 65, 79}))
    if family == "secret":
        if rnd.random() < 0.6:
            reader = _reader(rnd, DUMP_READERS)
            # 65 where the dump lacks the section a view needs (pc endpoints, pc routes)
            return Case(family, reader, list(DUMP_READERS[reader]), json.dumps(dump_seed()).encode(),
                        allowed=frozenset({0, 65, 79}))
        readers = {k: YAML_READERS[k] for k in ("analyze -f", "precheck -f", "inject iptables -f")}
        reader = _reader(rnd, readers)
        return Case(family, reader, list(readers[reader]), _secret_doc().encode(), allowed=frozenset({0, 65, 79}))
    if family == "special":
        kind = rnd.choice(["fifo", "/dev/zero", "/dev/urandom", "directory"])
        readers = {**YAML_READERS, **DUMP_READERS}
        readers.pop("analyze --kubeconfig")
        reader = _reader(rnd, readers)
        if kind == "fifo":
            # start-up under load may already use the second: the line then names the command instead
            return Case(f"special:{kind}", reader, list(readers[reader]), special=kind, allowed=frozenset({1}),
                        stderr_has="timed out after 2s (--timeout) while ", timeout=2.0)
        return Case(f"special:{kind}", reader, list(readers[reader]), special=kind, allowed=frozenset({65}))
    # stdin: hostile bytes, or a stream that never ends (bounded by --max-input-size)
    readers = {"analyze -f": YAML_READERS["analyze -f"], "pc dump -o json": DUMP_READERS["pc dump -o json"],
               "kube-inject -f": YAML_READERS["kube-inject -f"],
               "manifest generate -f": YAML_READERS["manifest generate -f"]}
    reader = _reader(rnd, readers)
    argv = [a.replace("{f}", "-") for a in readers[reader]]
    if rnd.random() < 0.5:
        return Case("stdin:endless", reader, argv, stdin=True, special="endless", allowed=frozenset({65}),
                    stderr_has="larger than the input limit", extra=["--max-input-size", "4Mi"])
    kind = rnd.choice(["invalid-utf8", "nul-byte", "huge-integer", "lone-surrogate"])
    return Case(f"stdin:{kind}", reader, argv, GUARDED[kind](rnd), stdin=True, allowed=frozenset({65}))
