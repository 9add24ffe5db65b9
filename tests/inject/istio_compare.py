"""Structural comparison of kube-inject output with Istio's goldens, as ``cases.json`` describes it.

Documents in order; containers by name (their order compared separately); env, ports,
volumes and volumeMounts as keyed sets; JSON-valued env and annotations parsed; the
``sidecar.istio.io/status`` annotation without its version; istio-iptables and pilot-agent
args as flag -> value pairs (long and short flags equal, comma lists as sets); resource
quantities by value; the golden's test-registry images by name; Go's empty values absent.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import yaml

TEST_REGISTRY = "registry.istio.io/testing/"
JSON_ENV = ("PROXY_CONFIG", "ISTIO_META_POD_PORTS", "ISTIO_KUBE_APP_PROBERS", "ISTIO_PROMETHEUS_ANNOTATIONS")
STATUS = "sidecar.istio.io/status"
#: istio-iptables' long flags and the short ones Istio's template writes.
LONG_FLAGS = {
    "--envoy-port": "-p", "--inbound-capture-port": "-z", "--proxy-uid": "-u", "--proxy-gid": "-g",
    "--istio-inbound-interception-mode": "-m", "--istio-service-cidr": "-i",
    "--istio-service-exclude-cidr": "-x", "--istio-inbound-ports": "-b",
    "--istio-local-exclude-ports": "-d", "--istio-local-outbound-ports-exclude": "-o",
    "--istio-outbound-ports": "-q", "--kube-virt-interfaces": "-k", "--istio-exclude-interfaces": "-c",
    "--inbound-tunnel-port": "-e", "--dry-run": "-n",
}
_SUFFIX = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60,
           "n": Decimal("1e-9"), "u": Decimal("1e-6"), "m": Decimal("1e-3"), "k": 10**3, "M": 10**6,
           "G": 10**9, "T": 10**12, "P": 10**15, "E": 10**18}


def documents(text: str) -> list[Any]:
    """The non-empty YAML documents of a stream."""
    return [d for d in yaml.safe_load_all(text) if d is not None]


def quantity(value: Any) -> Any:
    """A Kubernetes quantity as a number (``100m`` == ``0.1``, ``1Gi`` == 1073741824)."""
    text = str(value).strip()
    for suffix in sorted(_SUFFIX, key=len, reverse=True):
        if text.endswith(suffix) and text[: -len(suffix)]:
            try:
                return Decimal(text[: -len(suffix)]) * Decimal(_SUFFIX[suffix])
            except ArithmeticError:
                return text
    try:
        return Decimal(text)
    except ArithmeticError:
        return text


def _flags(args: list[Any]) -> dict[str, Any]:
    words = [str(a) for a in args]
    positional: list[str] = []
    flags: dict[str, Any] = {}
    i = 0
    while i < len(words):
        word = words[i]
        if word.startswith("-") and len(word) > 1:
            name, eq, value = word.partition("=")
            if not eq:
                nxt = words[i + 1] if i + 1 < len(words) else None
                if nxt is not None and not (nxt.startswith("-") and len(nxt) > 1):
                    value, i = nxt, i + 1
            name = LONG_FLAGS.get(name, name)
            flags[name] = sorted(value.split(",")) if "," in value else value
        else:
            positional.append(word)
        i += 1
    return {"positional": positional, "flags": flags}


def _json(value: Any) -> Any:
    try:
        return json.loads(str(value))
    except ValueError:
        return value


def _image(value: Any, golden: Any) -> Any:
    if isinstance(golden, str) and golden.startswith(TEST_REGISTRY):
        return str(value).rsplit("/", 1)[-1].split(":")[0]
    return value


def _keyed(items: list[Any], key: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in items:
        name = json.dumps(item.get(key) if isinstance(item, dict) else item, sort_keys=True, default=str)
        while name in out:
            name += "+"
        out[name] = item
    return out


def _container(c: dict[str, Any], golden: dict[str, Any] | None) -> dict[str, Any]:
    out = dict(c)
    if "image" in out:
        out["image"] = _image(out["image"], (golden or c).get("image"))
    if isinstance(out.get("args"), list) and (out["args"][:1] in (["istio-iptables"], ["proxy"])):
        out["args"] = _flags(out["args"])
    if isinstance(out.get("env"), list):
        env = []
        for e in out["env"]:
            e = dict(e)
            if e.get("name") in JSON_ENV and "value" in e:
                e["value"] = _json(e["value"])
            env.append(e)
        out["env"] = _keyed(env, "name")
    for key, field in (("ports", "containerPort"), ("volumeMounts", "mountPath")):
        if isinstance(out.get(key), list):
            out[key] = _keyed(out[key], field)
    res = out.get("resources")
    if isinstance(res, dict):
        out["resources"] = {k: {n: quantity(q) for n, q in (v or {}).items()} for k, v in res.items()
                            if v} or None
    return out


def _containers(items: list[Any], golden: list[Any] | None) -> dict[str, Any]:
    by_name = {str(g.get("name")): g for g in golden or [] if isinstance(g, dict)}
    return {"order": [c.get("name") for c in items],
            "byName": {str(c.get("name")): _container(c, by_name.get(str(c.get("name")))) for c in items}}


def _drop_empty(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        out = {k: _drop_empty(v, k) for k, v in value.items()}
        return {k: v for k, v in out.items() if v is not None and (v != {} or k == "emptyDir")}
    if isinstance(value, list):
        return [_drop_empty(v) for v in value]
    return value


def normalize(value: Any, golden: Any = None) -> Any:
    """The comparable form of one document (``golden``: the matching golden, for image names)."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        gold = golden if isinstance(golden, dict) else {}
        for key, item in value.items():
            if key in ("containers", "initContainers") and isinstance(item, list):
                out[key] = _containers(item, gold.get(key))
            elif key == "volumes" and isinstance(item, list):
                out[key] = _keyed([normalize(v) for v in item], "name")
            elif key == "annotations" and isinstance(item, dict):
                ann = {}
                for k, v in item.items():
                    parsed = _json(v) if str(v).lstrip()[:1] in ("{", "[") else v
                    if k == STATUS and isinstance(parsed, dict):
                        parsed.pop("version", None)
                    ann[k] = parsed
                out[key] = ann
            else:
                out[key] = normalize(item, gold.get(key))
        return out
    if isinstance(value, list):
        gold_list = golden if isinstance(golden, list) else []
        return [normalize(v, gold_list[i] if i < len(gold_list) else None) for i, v in enumerate(value)]
    return value


def comparable(text: str, golden_text: str) -> tuple[list[Any], list[Any]]:
    """(ours, golden) documents, both normalised."""
    ours, gold = documents(text), documents(golden_text)
    norm_ours = [normalize(_drop_empty(d), gold[i] if i < len(gold) else None) for i, d in enumerate(ours)]
    norm_gold = [normalize(_drop_empty(d), d) for d in gold]
    return norm_ours, norm_gold


def differences(ours: Any, gold: Any, path: str = "") -> list[str]:
    """Human-readable paths where the two differ (for assertion messages)."""
    if isinstance(ours, dict) and isinstance(gold, dict):
        out = []
        for key in sorted(set(ours) | set(gold), key=str):
            if key not in ours:
                out.append(f"{path}/{key}: missing (want {_short(gold[key])})")
            elif key not in gold:
                out.append(f"{path}/{key}: unexpected {_short(ours[key])}")
            else:
                out += differences(ours[key], gold[key], f"{path}/{key}")
        return out
    if isinstance(ours, list) and isinstance(gold, list) and len(ours) == len(gold):
        return [d for i, (o, g) in enumerate(zip(ours, gold, strict=True))
                for d in differences(o, g, f"{path}[{i}]")]
    return [] if ours == gold else [f"{path}: got {_short(ours)}, want {_short(gold)}"]


def _short(value: Any) -> str:
    text = json.dumps(value, default=str, sort_keys=True)
    return text if len(text) < 300 else text[:300] + "..."
