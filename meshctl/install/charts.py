"""Where Istio's Helm charts come from: a local directory (``--charts``) or the user cache by version.

A chart directory holds chart folders (each with a ``Chart.yaml``, possibly one level down, as in
Istio's ``manifests/charts``) or packaged ``<name>-<version>.tgz`` archives, as an unpacked Istio
release or a ``helm pull`` leaves them. Charts are known by the name in their ``Chart.yaml``.

Without ``--charts``, charts of a release are looked up in ``$XDG_CACHE_HOME/meshctl/charts/<version>/``
and, when absent, downloaded once from Istio's Helm repository (:mod:`meshctl.sources.chartrepo`),
each archive checked against the digest in the repository's ``index.yaml``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from meshctl.errors import InputError, UsageError

#: The charts Istio publishes that meshctl installs (names as in their ``Chart.yaml``).
CHART_NAMES = ("base", "istiod", "gateway", "cni", "ztunnel")
#: Istio's published Helm repository (Istio's Helm install documentation).
ISTIO_REPO = "https://istio-release.storage.googleapis.com/charts"
_ARCHIVE = re.compile(r"^(?P<name>[a-z0-9-]+?)-(?P<version>\d+\.\d+\.\d+[0-9A-Za-z.+-]*)\.tgz$")


@dataclass(frozen=True)
class ChartSet:
    """Chart name -> path (a directory or a ``.tgz``), and where they came from."""

    paths: Mapping[str, Path]
    origin: str

    def path(self, name: str) -> Path:
        """The chart named ``name``; UsageError naming the source when it is not there."""
        found = self.paths.get(name)
        if found is None:
            raise UsageError(f"chart {name!r} is not in {self.origin}; it holds "
                             f"{', '.join(sorted(self.paths)) or 'no charts'}")
        return found


def _chart_name(chart_yaml: Path) -> str | None:
    from meshctl.sources.loading import read_mapping

    try:
        doc = read_mapping(str(chart_yaml), "Chart.yaml")  # bounded and guarded
    except InputError:
        return None
    name = doc.get("name")
    return str(name) if name else None


def _candidates(root: Path) -> Iterable[Path]:
    """Chart folders and archives at depth one and two."""
    for child in sorted(root.iterdir()):
        if child.is_file() and child.name.endswith(".tgz"):
            yield child
        elif child.is_dir():
            yield child
            if not (child / "Chart.yaml").is_file():
                yield from (sub for sub in sorted(child.iterdir()) if sub.is_dir())


def scan(root: Path) -> ChartSet:
    """The charts in a directory (folders by their ``Chart.yaml`` name, archives by file name)."""
    if not root.is_dir():
        raise InputError(f"--charts {root}: not a directory")
    paths: dict[str, Path] = {}
    for item in _candidates(root):
        if item.is_dir():
            name = _chart_name(item / "Chart.yaml") if (item / "Chart.yaml").is_file() else None
        else:
            match = _ARCHIVE.match(item.name)
            name = match.group("name") if match else None
        if name in CHART_NAMES:
            paths.setdefault(name, item)
    return ChartSet(paths, str(root))


def cache_root() -> Path:
    """``$XDG_CACHE_HOME/meshctl/charts`` (``~/.cache/meshctl/charts`` when unset)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "meshctl" / "charts"


def cached(version: str) -> ChartSet | None:
    """The charts of ``version`` in the cache, when every chart meshctl installs is there."""
    folder = cache_root() / version
    if not folder.is_dir():
        return None
    found = scan(folder)
    return found if all(n in found.paths for n in CHART_NAMES) else None


def resolve(charts_dir: str | os.PathLike[str] | None, version: str, repo: str = ISTIO_REPO) -> ChartSet:
    """The charts to render: ``--charts``, else the cached release, else downloaded into the cache."""
    if charts_dir is not None:
        return scan(Path(charts_dir))
    if not re.fullmatch(r"\d+\.\d+\.\d+[0-9A-Za-z.+-]*", version):
        raise UsageError(f"--version {version!r} is not a release version like 1.28.0")
    hit = cached(version)
    if hit is not None:
        return hit
    from meshctl.sources.chartrepo import download

    folder = cache_root() / version
    download(repo, version, CHART_NAMES, folder)
    return scan(folder)
