"""Benchmark: summarising a ~50 MB config dump vs ``json.loads`` on it (time and peak memory ratios).

Run: ``python benchmarks/bench_proxy_config.py [SIZE_MB]``. Targets: time <= 2x, peak memory <= 4x size.
"""

from __future__ import annotations

import json
import sys
import time
import tracemalloc
from datetime import UTC, datetime


def synthetic_dump(target_bytes: int) -> str:
    """An Istio-like dump: many EDS clusters with transport sockets, listeners, routes."""

    def cluster(i: int) -> dict:
        return {
            "version_info": f"2023-09-01T12:34:56Z/{i % 50}",
            "last_updated": "2023-09-01T12:35:00.1Z",
            "cluster": {
                "@type": "type.googleapis.com/envoy.config.cluster.v3.Cluster",
                "name": f"outbound|{8000 + i % 100}||svc-{i}.ns-{i % 40}.svc.cluster.local",
                "type": "EDS",
                "connect_timeout": "10s",
                "eds_cluster_config": {
                    "eds_config": {"ads": {}, "resource_api_version": "V3"},
                    "service_name": f"outbound|{8000 + i % 100}||svc-{i}.ns.svc.cluster.local",
                },
                "circuit_breakers": {
                    "thresholds": [{"max_connections": 4294967295, "max_pending_requests": 4294967295}]
                },
                "metadata": {
                    "filter_metadata": {
                        "istio": {
                            "services": [
                                {
                                    "host": f"svc-{i}.ns.svc.cluster.local",
                                    "name": f"svc-{i}",
                                    "namespace": "ns",
                                }
                            ]
                        }
                    }
                },
                "transport_socket_matches": [
                    {
                        "name": "tlsMode-istio",
                        "match": {"tlsMode": "istio"},
                        "transport_socket": {
                            "name": "envoy.transport_sockets.tls",
                            "typed_config": {
                                "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3."
                                "UpstreamTlsContext",
                                "common_tls_context": {
                                    "alpn_protocols": ["istio-peer-exchange", "istio"],
                                    "tls_certificate_sds_secret_configs": [{"name": "default"}],
                                },
                                "sni": f"outbound_.8000_._.svc-{i}.ns.svc.cluster.local",
                            },
                        },
                    }
                ],
            },
        }

    one = len(json.dumps({"configs": [{"d": [cluster(0)]}]}, indent=1))
    count = max(1, target_bytes // one)
    doc = {
        "configs": [
            {
                "@type": "type.googleapis.com/envoy.admin.v3.BootstrapConfigDump",
                "bootstrap": {"node": {"id": "x"}},
            },
            {
                "@type": "type.googleapis.com/envoy.admin.v3.ClustersConfigDump",
                "version_info": "2023-09-01T12:34:56Z/49",
                "dynamic_active_clusters": [cluster(i) for i in range(count)],
            },
        ]
    }
    return json.dumps(doc, indent=1)


def measure(fn, text: str) -> tuple[float, int]:
    """(best wall seconds of 3, peak traced bytes of one run)."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        fn(text)
        best = min(best, time.perf_counter() - start)
    tracemalloc.start()
    fn(text)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return best, peak


def summarise(text: str) -> str:
    """What ``meshctl pc dump`` does after reading the text."""
    from meshctl.envoy.dump import KEEP, load
    from meshctl.envoy.summary import render_summary

    dump = load(text, "bench", KEEP["summary"])
    return render_summary(dump.sections, datetime(2023, 9, 2, tzinfo=UTC))


def main() -> None:
    size_mb = float(sys.argv[1]) if len(sys.argv) > 1 else 50.0
    text = synthetic_dump(int(size_mb * 1024 * 1024))
    size = len(text.encode())
    base_t, base_m = measure(json.loads, text)
    ours_t, ours_m = measure(summarise, text)
    print(f"dump size           {size / 1e6:.1f} MB")
    print(f"json.loads          {base_t:.3f} s, peak {base_m / 1e6:.1f} MB")
    print(f"pc dump summary     {ours_t:.3f} s, peak {ours_m / 1e6:.1f} MB")
    print(f"time ratio          {ours_t / base_t:.2f}x json.loads (target <= 2)")
    print(
        f"memory ratio        {ours_m / size:.2f}x dump size "
        f"(target <= 4; json.loads alone: {base_m / size:.2f}x)"
    )


if __name__ == "__main__":
    main()
