"""A Helm chart repository over HTTP(S): ``index.yaml``, then each chart archive, digest-checked.

Used by ``meshctl install``/``manifest generate`` when charts of a release are not in the user cache
yet. Each archive is written to the cache only after its SHA-256 matches the ``digest`` the index
gives for that chart version, so a cache entry is always a verified archive.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import yaml

from meshctl.errors import ClusterError, InputError

_TIMEOUT = 60.0


def _get(url: str) -> bytes:
    import httpx

    try:
        resp = httpx.get(url, timeout=httpx.Timeout(_TIMEOUT, connect=10.0), follow_redirects=True)
    except httpx.HTTPError as exc:
        raise ClusterError(f"cannot download {url}: {exc}; pass --charts DIR to install from local "
                           "charts (e.g. an unpacked Istio release's manifests/charts)") from None
    if resp.status_code != 200:
        raise ClusterError(f"cannot download {url}: HTTP {resp.status_code}")
    return resp.content


def _entry(index: Mapping[str, Any], name: str, version: str, repo: str) -> Mapping[str, Any]:
    versions = ((index.get("entries") or {}).get(name)) or []
    for item in versions:
        if isinstance(item, dict) and str(item.get("version")) == version:
            return item
    raise InputError(f"the chart repository {repo} has no chart {name} version {version}")


def _write(folder: Path, filename: str, data: bytes) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".part-")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, folder / filename)


def download(repo: str, version: str, names: Iterable[str], folder: Path) -> None:
    """Fetch ``<name>-<version>.tgz`` for each chart into ``folder``, each checked against the index."""
    base = repo.rstrip("/") + "/"
    try:
        index = yaml.safe_load(_get(urljoin(base, "index.yaml")))
    except yaml.YAMLError:
        raise InputError(f"{base}index.yaml is not a Helm repository index") from None
    if not isinstance(index, dict):
        raise InputError(f"{base}index.yaml is not a Helm repository index")
    for name in names:
        entry = _entry(index, name, version, repo)
        urls = entry.get("urls") or []
        if not urls:
            raise InputError(f"the index of {repo} gives no URL for {name} {version}")
        data = _get(urljoin(base, str(urls[0])))
        want = str(entry.get("digest") or "").removeprefix("sha256:")
        got = hashlib.sha256(data).hexdigest()
        if not want or got != want:
            raise InputError(f"chart {name} {version} from {repo} has digest sha256:{got}, but the "
                             f"repository index says {want or 'nothing'}; not using it")
        _write(folder, f"{name}-{version}.tgz", data)
