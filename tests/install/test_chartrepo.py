"""Charts by ``--version`` from a Helm repository: a loopback repository these tests package and serve.

The charts are packaged here from ../shared/istio/charts with a release version, indexed with their
SHA-256 digests, and served over HTTP on 127.0.0.1; the user cache is a temporary XDG_CACHE_HOME.
"""

from __future__ import annotations

import hashlib
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

helm = pytest.importorskip("helm_python")

VERSION = "1.99.0"
DIRS = ("base", "istio-control/istio-discovery", "gateway", "istio-cni", "ztunnel")
NAMES = ("base", "istiod", "gateway", "cni", "ztunnel")


class Repo:
    def __init__(self, root: Path, url: str) -> None:
        self.root, self.url, self.requests = root, url, []

    def index(self, tamper: str = "") -> None:
        entries = {}
        for name in NAMES:
            data = (self.root / f"{name}-{VERSION}.tgz").read_bytes()
            digest = hashlib.sha256(data + (b"x" if name == tamper else b"")).hexdigest()
            entries[name] = [{"name": name, "version": VERSION, "digest": digest,
                              "urls": [f"{name}-{VERSION}.tgz"]}]
        (self.root / "index.yaml").write_text(yaml.safe_dump({"apiVersion": "v1", "entries": entries}))


@pytest.fixture
def repo(charts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Repo]:
    root = tmp_path / "repo"
    root.mkdir()
    for chart in DIRS:
        helm.package(charts / chart, destination=root, version=VERSION)
    seen: list[str] = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(root), **kwargs)

        def log_message(self, *args: Any) -> None:
            seen.append(self.path)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    served = Repo(root, f"http://127.0.0.1:{server.server_address[1]}/")
    served.requests = seen
    served.index()
    yield served
    server.shutdown()
    server.server_close()


def _generate(run_cli: Any, *args: str) -> Any:
    return run_cli("manifest", "generate", "-o", "json", "-p", "demo", *args)


def test_version_downloads_once_into_the_cache_and_renders_the_same(run_cli: Any, repo: Repo, charts: Path,
                                                                     tmp_path: Path) -> None:
    first = _generate(run_cli, "--version", VERSION, "--repo", repo.url)
    assert first.exit_code == 0, first.stderr
    cached = tmp_path / "cache" / "meshctl" / "charts" / VERSION
    assert sorted(p.name for p in cached.iterdir()) == sorted(f"{n}-{VERSION}.tgz" for n in NAMES)
    assert "/index.yaml" in repo.requests
    local = _generate(run_cli, "--charts", str(charts))
    labels = {o["metadata"]["name"]: o["metadata"].get("labels", {}).get("helm.sh/chart")
              for o in json.loads(first.stdout)["items"] if o["kind"] == "Deployment"}
    assert labels["istiod"] == f"istiod-{VERSION}"
    assert len(json.loads(first.stdout)["items"]) == len(json.loads(local.stdout)["items"])
    repo.requests.clear()
    again = _generate(run_cli, "--version", VERSION, "--repo", "http://127.0.0.1:9/")  # nothing listens there
    assert again.exit_code == 0 and again.stdout == first.stdout and repo.requests == []


def test_an_archive_whose_digest_differs_from_the_index_is_refused(run_cli: Any, repo: Repo, tmp_path: Path) -> None:
    repo.index(tamper="istiod")
    res = _generate(run_cli, "--version", VERSION, "--repo", repo.url)
    assert res.exit_code == 65 and "chart istiod 1.99.0" in res.stderr and "digest" in res.stderr
    assert not (tmp_path / "cache" / "meshctl" / "charts" / VERSION / f"istiod-{VERSION}.tgz").exists()


def test_a_version_the_repository_lacks_and_an_unreachable_repository(run_cli: Any, repo: Repo) -> None:
    missing = _generate(run_cli, "--version", "1.98.0", "--repo", repo.url)
    assert missing.exit_code == 65 and "no chart base version 1.98.0" in missing.stderr
    down = _generate(run_cli, "--version", "1.97.0", "--repo", "http://127.0.0.1:9/")
    assert down.exit_code == 1 and "--charts DIR" in down.stderr and down.stderr.count("\n") == 1
    bad = _generate(run_cli, "--version", "latest")
    assert bad.exit_code == 64
