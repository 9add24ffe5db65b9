"""Decode time of a 5,000-pod LIST response: meshctl's path vs ``json.loads`` vs the client's models.

meshctl's path is ``ClusterClient.list`` end to end with the network replaced by the same
bytes (paging, decoding, apiVersion/kind filling). Budget: <= 1.5x ``json.loads``.

    python benchmarks/bench_list_decode.py [--pods 5000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

BUDGET = 1.5


def make_pod(i: int) -> dict[str, Any]:
    """A pod shaped like a real injected one (~2.5 KB of JSON)."""
    ns = f"ns{i % 50:02d}"
    return {
        "metadata": {
            "name": f"web-{i:05d}-7c9f8d6b5-x2x9z", "namespace": ns, "uid": f"0000-{i:08d}",
            "resourceVersion": str(100000 + i), "creationTimestamp": "2024-05-01T10:00:00Z",
            "labels": {"app": "web", "pod-template-hash": "7c9f8d6b5", "security.istio.io/tlsMode": "istio",
                       "service.istio.io/canonical-name": "web", "service.istio.io/canonical-revision": "v1"},
            "annotations": {"sidecar.istio.io/status": '{"initContainers":["istio-init"],'
                            '"containers":["istio-proxy"],"volumes":["istio-envoy"]}',
                            "prometheus.io/port": "15020", "prometheus.io/scrape": "true"},
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-7c9f8d6b5",
                                 "uid": "rs-uid", "controller": True, "blockOwnerDeletion": True}],
        },
        "spec": {
            "serviceAccountName": "web", "nodeName": f"node-{i % 20}", "restartPolicy": "Always",
            "containers": [
                {"name": "web", "image": "nginx:1.25", "ports": [{"containerPort": 8080, "protocol": "TCP"}],
                 "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}},
                 "readinessProbe": {"httpGet": {"path": "/app-health/web/readyz", "port": 15020}}},
                {"name": "istio-proxy", "image": "docker.io/istio/proxyv2:1.22.0",
                 "args": ["proxy", "sidecar", "--domain", f"{ns}.svc.cluster.local",
                          "--proxyLogLevel=warning", "--proxyComponentLogLevel=misc:error",
                          "--log_output_level=default:info"],
                 "env": [{"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                         {"name": "ISTIO_META_CLUSTER_ID", "value": "Kubernetes"},
                         {"name": "PILOT_CERT_PROVIDER", "value": "istiod"}],
                 "ports": [{"containerPort": 15090, "name": "http-envoy-prom", "protocol": "TCP"}],
                 "securityContext": {"runAsUser": 1337, "runAsGroup": 1337, "runAsNonRoot": True}},
            ],
            "volumes": [{"name": "istio-envoy", "emptyDir": {"medium": "Memory"}},
                        {"name": "istiod-ca-cert", "configMap": {"name": "istio-ca-root-cert"}}],
        },
        "status": {"phase": "Running", "podIP": f"10.0.{i // 250}.{i % 250}", "hostIP": "192.168.0.1",
                   "startTime": "2024-05-01T10:00:05Z",
                   "conditions": [{"type": "Ready", "status": "True",
                                   "lastTransitionTime": "2024-05-01T10:00:09Z"}],
                   "containerStatuses": [{"name": "web", "ready": True, "restartCount": 0,
                                          "image": "nginx:1.25", "imageID": "sha256:abc",
                                          "state": {"running": {"startedAt": "2024-05-01T10:00:07Z"}}}]},
    }


def list_bytes(pods: int) -> bytes:
    """A PodList response body with ``pods`` items and no continue token."""
    doc = {"kind": "PodList", "apiVersion": "v1", "metadata": {"resourceVersion": "1"},
           "items": [make_pod(i) for i in range(pods)]}
    return json.dumps(doc).encode()


def best_of(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``repeat`` runs (seconds)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def meshctl_path(data: bytes) -> Callable[[], object]:
    """``ClusterClient.list("Pod")`` with the transport answering ``data``."""
    import meshctl.cluster.client as client_mod
    from meshctl.cluster.kubeconfig import ResolvedConfig
    from meshctl.cluster.transport import RawResponse

    client_mod.send = lambda api, req, timeout: RawResponse(200, {}, data)  # type: ignore[assignment]
    client = client_mod.ClusterClient(ResolvedConfig("bench", "default", "https://bench"), None, 3600)
    return lambda: client.list("Pod")


def model_path(data: bytes) -> Callable[[], object]:
    """The ``kubernetes`` client's model deserialization into ``V1PodList``."""
    from kubernetes import client as k

    api = k.ApiClient()
    text = data.decode()
    return lambda: api.deserialize(text, "V1PodList", "application/json")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pods", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-models", action="store_true", help="skip the (slow) model deserialization")
    args = parser.parse_args(argv)
    data = list_bytes(args.pods)
    base = best_of(lambda: json.loads(data), args.repeat)
    ours = best_of(meshctl_path(data), args.repeat)
    print(f"{args.pods} pods, {len(data) / 1e6:.1f} MB of JSON, median of {args.repeat}")
    print(f"json.loads               {base * 1000:8.1f} ms   1.00x")
    print(f"meshctl ClusterClient    {ours * 1000:8.1f} ms   {ours / base:.2f}x   (budget {BUDGET}x)")
    if not args.no_models:
        models = best_of(model_path(data), max(1, args.repeat // 2))
        print(f"kubernetes models        {models * 1000:8.1f} ms   {models / base:.2f}x   (for contrast)")
    ok = ours / base <= BUDGET
    print("within budget" if ok else "OVER BUDGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
