"""Benchmark: `meshctl analyze -A` against a real kube-apiserver with 5,000 pods, 2,000 ConfigMaps and
0 then 2,000 Helm release Secrets (issue 13, "Performance on large clusters").

Prints, measured in the same run:
  discovery requests of a cold run (empty discovery cache) and a warm one      target <= 2
  requests of a run, from the server's apiserver_request_total                  target 2 + one LIST per kind per page
  wall time of analyze / (json.loads of the same LIST bodies + interpreter)     target <= 1.5
  peak RSS of analyze with 2,000 Helm Secrets / with none                       target <= 1.10

The server is started from ../shared/kube (or KUBEBUILDER_ASSETS) with Istio's CRDs from ../shared/istio.
Run: python benchmarks/bench_live.py [--pods 5000] [--configmaps 2000] [--secrets 2000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import re
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.realkube.objects import apply_all, istio_crds  # noqa: E402
from tests.realkube.server import RealKube, assets_dir  # noqa: E402

NAMESPACES = 50
_METRIC = re.compile(r'^apiserver_request_total\{(?P<labels>[^}]*)\} (?P<value>[0-9.e+]+)$')


def _post_all(kube: RealKube, items: Iterable[tuple[str, dict[str, Any]]]) -> None:
    """POST objects (path, body) with a few connections in flight."""
    def post(item: tuple[str, dict[str, Any]]) -> None:
        kube.request("POST", item[0], item[1])

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(post, items))


def populate(kube: RealKube, pods: int, configmaps: int) -> None:
    """Namespaces, Services, Pods and ConfigMaps spread over NAMESPACES namespaces, plus istio-system."""
    names = [f"bench-{n:02d}" for n in range(NAMESPACES)]
    apply_all(kube, [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns,
                                                                           "labels": {"istio-injection": "enabled"}}}
                     for ns in [*names, "istio-system"]])
    services = [(f"/api/v1/namespaces/{ns}/services",
                 {"apiVersion": "v1", "kind": "Service", "metadata": {"name": f"svc-{i}", "namespace": ns},
                  "spec": {"selector": {"app": f"app-{i}"}, "ports": [{"name": "http", "port": 8080}]}})
                for ns in names for i in range(5)]
    pod_items = [(f"/api/v1/namespaces/{names[i % NAMESPACES]}/pods",
                  {"apiVersion": "v1", "kind": "Pod",
                   "metadata": {"name": f"pod-{i}", "namespace": names[i % NAMESPACES],
                                "labels": {"app": f"app-{i % 5}", "version": "v1"},
                                "annotations": {"sidecar.istio.io/status": '{"containers":["istio-proxy"]}'}},
                   "spec": {"containers": [{"name": "app", "image": "docker.io/library/nginx:1.27",
                                            "ports": [{"containerPort": 8080}]},
                                           {"name": "istio-proxy", "image": "docker.io/istio/proxyv2:1.28.0"}]}})
                 for i in range(pods)]
    cm_items = [(f"/api/v1/namespaces/{names[i % NAMESPACES]}/configmaps",
                 {"apiVersion": "v1", "kind": "ConfigMap",
                  "metadata": {"name": f"cm-{i}", "namespace": names[i % NAMESPACES]},
                  "data": {"settings.yaml": "key: value\n" * 40}})
                for i in range(configmaps)]
    _post_all(kube, [*services, *pod_items, *cm_items])


def add_helm_secrets(kube: RealKube, count: int, size: int = 32_000) -> None:
    """Helm release Secrets (type helm.sh/release.v1) of ``size`` bytes, as Helm 3 stores them."""
    payload = base64.b64encode(os.urandom(size * 3 // 4)).decode()
    data = {"release": base64.b64encode(payload.encode()).decode()}
    items = [(f"/api/v1/namespaces/bench-{i % NAMESPACES:02d}/secrets",
              {"apiVersion": "v1", "kind": "Secret", "type": "helm.sh/release.v1",
               "metadata": {"name": f"sh.helm.release.v1.app-{i}.v1", "namespace": f"bench-{i % NAMESPACES:02d}",
                            "labels": {"owner": "helm", "name": f"app-{i}"}},
               "data": data})
             for i in range(count)]
    _post_all(kube, items)


def request_counts(kube: RealKube) -> dict[tuple[str, str], float]:
    """``apiserver_request_total`` summed by (verb, resource); discovery has an empty resource."""
    text = kube.request("GET", "/metrics", raw=True)
    out: dict[tuple[str, str], float] = {}
    for line in text.splitlines():
        m = _METRIC.match(line)
        if not m:
            continue
        labels = dict(re.findall(r'(\w+)="([^"]*)"', m.group("labels")))
        key = (labels.get("verb", ""), labels.get("resource", ""))
        out[key] = out.get(key, 0.0) + float(m.group("value"))
    return out


def delta(before: dict[tuple[str, str], float], after: dict[tuple[str, str], float]) -> dict[tuple[str, str], int]:
    """What changed between two counts, without the /metrics reads themselves."""
    changed = {k: int(after.get(k, 0) - before.get(k, 0)) for k in after}
    return {k: v for k, v in changed.items() if v > 0}


def run_measured(cmd: list[str], env: dict[str, str]) -> tuple[float, int, int]:
    """(wall seconds, peak RSS in KiB, exit status) of one command in a fresh process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if proc.stderr is not None:
        err = proc.stderr.read().decode(errors="replace").strip()
        proc.stderr.close()
        if err:
            print(f"    stderr: {err[:300]}")
    proc.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss, proc.returncode


def analyze_cmd(kubeconfig: Path) -> list[str]:
    """The measured command: every default analyzer over the whole cluster, JSON out."""
    return [sys.executable, "-m", "meshctl", "analyze", "-A", "--kubeconfig", str(kubeconfig), "-o", "json",
            "--timeout", "300"]


def capture_list_bodies(kubeconfig: Path, cache_dir: Path, out_dir: Path,
                        first_pages: list[str] | None = None) -> tuple[list[Path], list[str]]:
    """The raw LIST bodies meshctl's live source fetches (same paths, selectors, pages), saved to files,
    and the path of every request it sent; ``first_pages`` gets each LIST's first request (path?query)."""
    os.environ["MESHCTL_CACHE_DIR"] = str(cache_dir)
    from meshctl.analysis.engine import needed_kinds
    from meshctl.analysis.registry import select
    from meshctl.cluster import client as client_module
    from meshctl.cluster.options import ClusterOptions
    from meshctl.sources.live import load_live

    saved: list[Path] = []
    lock = threading.Lock()
    real_send: Callable[..., Any] = client_module.send

    sent: list[str] = []

    def recording_send(api: Any, req: Any, timeout: float) -> Any:
        resp = real_send(api, req, timeout)
        with lock:
            sent.append(req.path)
        if req.query and any(k == "limit" for k, _ in req.query):
            if first_pages is not None and not any(k == "continue" for k, _ in req.query):
                with lock:
                    first_pages.append(req.path + "?" + urlencode(list(req.query)))
            with lock:  # the live source runs reads in parallel
                path = out_dir / f"body-{len(saved):04d}.json"
                saved.append(path)
            path.write_bytes(resp.data)
        return resp

    client_module.send = recording_send
    try:
        load_live(ClusterOptions(kubeconfig=str(kubeconfig), timeout=300), needed_kinds(select([])) | {"ConfigMap"},
                  None, True, istiod=True)
    finally:
        client_module.send = real_send
        client_module.reset_clients()
    return saved, sent


_CONTINUE = re.compile(rb'"continue":"([^"]+)"')  # CRD-backed lists say "continue":"" on the last page


def server_floor(kube: RealKube, first_pages: list[str], workers: int, repeat: int) -> float:
    """Best wall time of fetching every page of the same LISTs (same paths, selectors and page size;
    the continue token read from each body's start) with ``workers`` connections and no JSON decoding,
    in this process (no start-up): what the API server alone takes to serve what analyze reads."""
    host, port = kube.url.removeprefix("https://").rsplit(":", 1)
    context = ssl.create_default_context(cafile=kube.ca_file)
    headers = {"Authorization": f"Bearer {kube.users['admin']}", "Accept": "application/json"}

    local = threading.local()  # one kept-alive connection per thread, as meshctl's pool has

    def fetch_all(first: str) -> None:
        if not hasattr(local, "conn"):
            local.conn = http.client.HTTPSConnection(host, int(port), context=context, timeout=10)
        url: str | None = first
        while url:
            local.conn.request("GET", url, headers=headers)
            body = local.conn.getresponse().read()
            token = _CONTINUE.search(body[:4096])
            url = f"{first}&{urlencode({'continue': token.group(1).decode()})}" if token else None

    best = float("inf")
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(fetch_all, first_pages))  # connect every thread once, outside the timing
        for _ in range(repeat):
            start = time.perf_counter()
            list(pool.map(fetch_all, first_pages))
            best = min(best, time.perf_counter() - start)
    return best


JSON_ONLY = "import json, sys\nfor p in sys.argv[1:]:\n    with open(p, 'rb') as f:\n        json.loads(f.read())\n"


def median_run(cmd: list[str], env: dict[str, str], repeat: int) -> tuple[float, int]:
    """Median wall time and the largest peak RSS of ``repeat`` runs."""
    runs = [run_measured(cmd, env) for _ in range(repeat)]
    bad = [code for _, _, code in runs if code not in (0, 79)]
    if bad:
        raise SystemExit(f"{cmd[:4]} exited {bad[0]}")
    return statistics.median(t for t, _, _ in runs), max(r for _, r, _ in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pods", type=int, default=5000)
    parser.add_argument("--configmaps", type=int, default=2000)
    parser.add_argument("--secrets", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    assets = assets_dir()
    shared_istio = Path(os.environ.get("MESHCTL_SHARED_ISTIO", REPO.parent / "shared" / "istio"))
    if assets is None or not shared_istio.is_dir():
        raise SystemExit("needs ../shared/kube (or KUBEBUILDER_ASSETS) and ../shared/istio")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        kube = RealKube(workdir=work / "kube", assets=assets).start()
        try:
            _bench(kube, work, shared_istio, args)
        finally:
            kube.stop()


def _discovery_and_lists(counts: dict[tuple[str, str], int]) -> tuple[int, int, int]:
    # Non-resource GETs: discovery, plus the GET /metrics that took the "before" count when the server has
    # counted it already (its metrics lag a little: never below 0; the in-process count below is exact).
    discovery = max(sum(n for (verb, resource), n in counts.items() if verb == "GET" and resource == "") - 1, 0)
    lists = sum(n for (verb, _), n in counts.items() if verb == "LIST")
    return discovery, lists, sum(counts.values())


def _bench(kube: RealKube, work: Path, shared_istio: Path, args: argparse.Namespace) -> None:
    started = time.perf_counter()
    apply_all(kube, istio_crds(shared_istio))
    populate(kube, args.pods, args.configmaps)
    print(f"populated {args.pods} pods, {args.configmaps} ConfigMaps in {time.perf_counter() - started:.1f}s")
    kubeconfig = kube.kubeconfig(work / "kubeconfig")
    # Bytecode is cached (as an installed meshctl has it), under the work directory, not in the tree.
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}, "PYTHONPATH": str(REPO),
           "MESHCTL_CACHE_DIR": str(work / "cache"), "PYTHONPYCACHEPREFIX": str(work / "pycache")}

    # Requests: a cold run (no discovery cache), then a warm one; /metrics reads are not counted.
    time.sleep(1.0)
    before = request_counts(kube)
    run_measured(analyze_cmd(kubeconfig), env)
    cold = delta(before, request_counts(kube))
    before = request_counts(kube)
    run_measured(analyze_cmd(kubeconfig), env)
    warm = delta(before, request_counts(kube))
    for name, counts in (("cold", cold), ("warm", warm)):
        discovery, lists, total = _discovery_and_lists(counts)
        print(f"requests ({name} discovery cache): discovery {discovery} (target <= 2), LIST {lists}, "
              f"all {total - 1} (may include the API server's own background requests)")
    kinds = {resource for (verb, resource) in cold if verb == "LIST"}
    print(f"  LIST by resource: {sorted((r, n) for (v, r), n in cold.items() if v == 'LIST')}")
    print(f"  expected: 2 discovery + one LIST per page of {len(kinds)} resources")

    # Wall time against json.loads of the same LIST bodies, in a fresh interpreter.
    bodies_dir = work / "bodies"
    bodies_dir.mkdir()
    first_pages: list[str] = []
    bodies, sent = capture_list_bodies(kubeconfig, work / "cache-capture", bodies_dir, first_pages)
    discovery = [p for p in sent if p in ("/api", "/apis") or p.count("/") <= 3 and not p.endswith("s")]
    print(f"requests meshctl sent (counted in-process, cold cache): {len(sent)}, of them discovery "
          f"{len(discovery)} {discovery}, LIST pages {len(bodies)}")
    _, warm_sent = capture_list_bodies(kubeconfig, work / "cache-capture", work)
    print(f"  warm cache: {len(warm_sent)} requests, discovery "
          f"{sum(p in ('/api', '/apis') for p in warm_sent)} (absent CRD kinds trust the cache; a CRD "
          "of one in the CRD list refreshes it)")
    size = sum(p.stat().st_size for p in bodies)
    t_json, _ = median_run([sys.executable, "-c", JSON_ONLY, *map(str, bodies)], env, args.repeat)
    t_analyze, rss_0 = median_run(analyze_cmd(kubeconfig), env, args.repeat)
    print(f"wall time: analyze -A {t_analyze:.2f}s, json.loads of the {len(bodies)} LIST bodies "
          f"({size / 1e6:.1f} MB) + start-up {t_json:.2f}s, ratio {t_analyze / t_json:.2f} (target <= 1.5)")
    from meshctl.sources.live import PARALLEL_READS

    floor = server_floor(kube, first_pages, PARALLEL_READS, max(args.repeat, 5))
    print(f"  server floor: the API server serves the same {len(first_pages)} LISTs ({len(bodies)} pages) to a "
          f"client that only downloads them ({PARALLEL_READS} connections, no decoding, no start-up) in "
          f"{floor:.2f}s = {floor / t_json:.2f}x the baseline; the 1.5x target "
          f"({1.5 * t_json:.2f}s) is {'below' if floor > 1.5 * t_json else 'above'} that floor")

    # Peak memory with the Helm release Secrets the analyzers ignore.
    add_helm_secrets(kube, args.secrets)
    t_secrets, rss_2000 = median_run(analyze_cmd(kubeconfig), env, args.repeat)
    print(f"peak RSS: {rss_0 / 1024:.0f} MiB with 0 Helm Secrets, {rss_2000 / 1024:.0f} MiB with {args.secrets} "
          f"(+{(rss_2000 / rss_0 - 1) * 100:.1f}%, target <= +10%); wall {t_secrets:.2f}s")
    helm_bytes = len(json.dumps(kube.request("GET", "/api/v1/secrets", query="limit=1")))
    print(f"  (a LIST of all Secrets would move ~{args.secrets * 43 / 1000:.0f} MB; one page of 1 is {helm_bytes} B)")


if __name__ == "__main__":
    main()
