"""Generate a realistic mesh of N resources as multi-document YAML files."""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

NAMESPACES = 50


def _app(i: int) -> list[dict]:
    ns = f"team-{i % NAMESPACES}"
    name = f"svc-{i}"
    labels = {"app": name, "version": "v1"}
    return [
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": ns},
         "spec": {"selector": {"app": name}, "ports": [{"name": "http", "port": 80, "targetPort": 8080},
                                                       {"name": "metrics", "port": 9090}]}},
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name, "namespace": ns},
         "spec": {"selector": {"matchLabels": labels}, "template": {"metadata": {"labels": labels}, "spec": {
             "containers": [{"name": "app", "image": f"example/{name}:1", "ports": [{"containerPort": 8080}]}]}}}},
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": f"{name}-0", "namespace": ns, "labels": labels},
         "spec": {"containers": [{"name": "app", "image": f"example/{name}:1"},
                                 {"name": "istio-proxy", "image": "docker.io/istio/proxyv2:1.28.0"}]}},
        {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
         "metadata": {"name": name, "namespace": ns},
         "spec": {"hosts": [name], "http": [{"route": [
             {"destination": {"host": name, "subset": "v1"}, "weight": 90},
             {"destination": {"host": name, "subset": "v2"}, "weight": 10}]}]}},
        {"apiVersion": "networking.istio.io/v1", "kind": "DestinationRule",
         "metadata": {"name": name, "namespace": ns},
         "spec": {"host": name, "subsets": [{"name": "v1", "labels": {"version": "v1"}},
                                            {"name": "v2", "labels": {"version": "v2"}}]}},
    ]


def namespaces() -> list[dict]:
    """The Namespace objects, injection enabled."""
    return [{"apiVersion": "v1", "kind": "Namespace",
             "metadata": {"name": f"team-{i}", "labels": {"istio-injection": "enabled"}}}
            for i in range(NAMESPACES)]


def generate(count: int, out_dir: Path, per_file: int = 1000) -> Path:
    """Write about ``count`` resources into ``out_dir`` and return it."""
    out_dir.mkdir(parents=True, exist_ok=True)
    docs = namespaces()
    i = 0
    while len(docs) < count:
        docs.extend(_app(i))
        i += 1
    docs = docs[:count]
    for start in range(0, len(docs), per_file):
        chunk = docs[start:start + per_file]
        text = yaml.dump_all(chunk, Dumper=yaml.CSafeDumper, sort_keys=False)
        (out_dir / f"mesh-{start // per_file:04d}.yaml").write_text(text)
    return out_dir


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]))
