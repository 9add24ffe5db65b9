"""The discovery cache on disk, as kubectl keeps one: one file per API server, valid for a TTL.

Where: ``$MESHCTL_CACHE_DIR`` when set, else ``~/.kube/cache/meshctl``; under it
``discovery/<host_port>/served.json``. kubectl keeps its own cache for 6 hours; so does this one.
A cache that cannot be read or written is ignored: it only saves requests, it never changes answers
(a kind missing from a cached document makes the client discover again).
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from meshctl.cluster.discovery import Discovery

TTL_SECONDS = 6 * 3600.0


def cache_root(environ: Mapping[str, str]) -> Path:
    """The cache directory from the environment."""
    explicit = environ.get("MESHCTL_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    home = environ.get("HOME") or str(Path.home())
    return Path(home) / ".kube" / "cache" / "meshctl"


def server_dir_name(server: str) -> str:
    """``127.0.0.1_6443`` for ``https://127.0.0.1:6443`` (kubectl's spelling, roughly)."""
    host = re.sub(r"^[a-z]+://", "", server).rstrip("/")
    return re.sub(r"[^A-Za-z0-9.\-]", "_", host) or "default"


@dataclass
class DiscoveryCache:
    """Read and write one server's cached discovery."""

    root: Path
    ttl: float = TTL_SECONDS
    clock: Callable[[], float] = field(default=time.time)

    def _path(self, server: str) -> Path:
        return self.root / "discovery" / server_dir_name(server) / "served.json"

    def load(self, server: str) -> Discovery | None:
        """The cached discovery of ``server`` if younger than the TTL, else None."""
        path = self._path(server)
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(doc, dict) or self.clock() - float(doc["fetched"]) > self.ttl:
                return None
            return Discovery.from_json(doc)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def store(self, server: str, discovery: Discovery) -> None:
        """Write the discovery (atomically); failures are ignored."""
        if discovery.failed:  # never cache a partial answer
            return
        path = self._path(server)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"fetched": self.clock(), **discovery.to_json()}), encoding="utf-8")
            tmp.replace(path)
        except OSError:
            return

    def forget(self, server: str) -> None:
        """Drop the cached discovery of ``server``."""
        try:
            self._path(server).unlink()
        except OSError:
            return
