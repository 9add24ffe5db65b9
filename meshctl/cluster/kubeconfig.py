"""Where the cluster is: kubeconfig files, the context, or the in-cluster service account.

Resolution order, as kubectl does it: ``--kubeconfig``; else ``KUBECONFIG`` (several files
separated by ``os.pathsep``, merged, the first file to set a key wins); else
``~/.kube/config`` when it exists; else the in-cluster service account when
``KUBERNETES_SERVICE_HOST`` is set. This module reads files but never imports ``kubernetes``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from meshctl.errors import ClusterError, InputError

SA_DIR = Path("/var/run/secrets/kubernetes.io/serviceaccount")
IN_CLUSTER_CONTEXT = "in-cluster"
_NAMED_LISTS = ("clusters", "users", "contexts")
_PATH_KEYS = {"clusters": ("certificate-authority",),
              "users": ("client-certificate", "client-key", "tokenFile")}


@dataclass(frozen=True)
class ResolvedConfig:
    """The connection a command will use. ``kubeconfig`` is the merged dict (None in-cluster)."""

    context_name: str
    namespace: str
    server: str
    kubeconfig: dict[str, Any] | None = field(default=None, repr=False)
    in_cluster: bool = False
    token_file: str | None = None
    ca_file: str | None = None


def kubeconfig_paths(explicit: str | None, environ: Mapping[str, str]) -> list[Path]:
    """The kubeconfig files to merge, in priority order (may be empty)."""
    if explicit:
        return [Path(explicit).expanduser()]
    env = environ.get("KUBECONFIG", "")
    if env:
        return [Path(p).expanduser() for p in env.split(os.pathsep) if p]
    home = Path(environ.get("HOME") or Path.home()) / ".kube" / "config"
    return [home] if home.is_file() else []


def _absolutize(section: str, item: dict[str, Any], base: Path) -> dict[str, Any]:
    """Make relative file references in a cluster/user entry relative to its own file."""
    inner = dict(item.get(section[:-1]) or {})
    for key in _PATH_KEYS.get(section, ()):
        value = inner.get(key)
        if isinstance(value, str) and value and not os.path.isabs(value):
            inner[key] = str((base / value).resolve())
    return {**item, section[:-1]: inner}


def merge_kubeconfigs(docs: list[tuple[dict[str, Any], Path]]) -> dict[str, Any]:
    """Merge parsed kubeconfig documents (with their directories); the first to set a key wins."""
    merged: dict[str, Any] = {"apiVersion": "v1", "kind": "Config",
                              "clusters": [], "users": [], "contexts": []}
    seen: dict[str, set[str]] = {name: set() for name in _NAMED_LISTS}
    for doc, base in docs:
        for section in _NAMED_LISTS:
            for item in doc.get(section) or []:
                name = item.get("name") if isinstance(item, dict) else None
                if not name or name in seen[section]:
                    continue
                seen[section].add(name)
                merged[section].append(_absolutize(section, item, base))
        for key in ("current-context", "preferences"):
            if doc.get(key) and not merged.get(key):
                merged[key] = doc[key]
    return merged


def _read_yaml(path: Path) -> dict[str, Any]:
    from meshctl.sources.loading import read_value

    if not path.exists() and not path.is_symlink():
        raise ClusterError(f"cannot read kubeconfig {path}: No such file or directory")
    try:
        doc = read_value(str(path)) or {}
    except InputError as exc:
        raise InputError(f"kubeconfig {exc}") from None
    if not isinstance(doc, dict):
        raise ClusterError(f"kubeconfig {path} is not a mapping")
    return doc


def load_kubeconfig(paths: list[Path], must_exist: bool) -> dict[str, Any]:
    """Read and merge kubeconfig files; missing files are skipped unless ``must_exist``."""
    docs = []
    for path in paths:
        if not path.is_file():
            if must_exist:
                raise ClusterError(f"kubeconfig {path} does not exist")
            continue
        docs.append((_read_yaml(path), path.resolve().parent))
    return merge_kubeconfigs(docs)


def _named(items: list[dict[str, Any]], name: str, section: str) -> dict[str, Any]:
    for item in items:
        if item.get("name") == name:
            return dict(item.get(section) or {})
    return {}


def from_kubeconfig(config: dict[str, Any], context: str | None) -> ResolvedConfig:
    """Pick the context (``--context`` or current-context) out of a merged kubeconfig."""
    name = context or config.get("current-context")
    if not name:
        raise ClusterError("no kubeconfig context selected: set current-context or pass --context")
    ctx = _named(config["contexts"], name, "context")
    if not any(c.get("name") == name for c in config["contexts"]):
        raise ClusterError(f"kubeconfig context {name!r} does not exist")
    cluster = _named(config["clusters"], str(ctx.get("cluster", "")), "cluster")
    server = str(cluster.get("server") or "")
    if not server:
        raise ClusterError(f"kubeconfig context {name!r} names no cluster with a server address")
    return ResolvedConfig(context_name=name, namespace=str(ctx.get("namespace") or "default"),
                          server=server.rstrip("/"), kubeconfig=config)


def in_cluster(environ: Mapping[str, str], sa_dir: Path = SA_DIR) -> ResolvedConfig:
    """The in-cluster service account: API address from the environment, token/CA/namespace files."""
    host = environ.get("KUBERNETES_SERVICE_HOST", "")
    port = environ.get("KUBERNETES_SERVICE_PORT", "443") or "443"
    token, ca = sa_dir / "token", sa_dir / "ca.crt"
    if not token.is_file() or not ca.is_file():
        raise ClusterError(f"in-cluster config: service account files are missing in {sa_dir}")
    ns_file = sa_dir / "namespace"
    namespace = ns_file.read_text(encoding="utf-8").strip() if ns_file.is_file() else ""
    host = f"[{host}]" if ":" in host else host
    return ResolvedConfig(context_name=IN_CLUSTER_CONTEXT, namespace=namespace or "default",
                          server=f"https://{host}:{port}", in_cluster=True,
                          token_file=str(token), ca_file=str(ca))


def resolve(kubeconfig: str | None, context: str | None,
            environ: Mapping[str, str] | None = None, sa_dir: Path | None = None) -> ResolvedConfig:
    """Resolve the connection from flags and environment (see the module docstring)."""
    env = os.environ if environ is None else environ
    paths = kubeconfig_paths(kubeconfig, env)
    if not paths and env.get("KUBERNETES_SERVICE_HOST") and not context:
        return in_cluster(env, sa_dir or SA_DIR)
    if not paths:
        raise ClusterError("no kubeconfig found: pass --kubeconfig, set KUBECONFIG, "
                           "or create ~/.kube/config")
    config = load_kubeconfig(paths, must_exist=bool(kubeconfig))
    if not config["contexts"] and env.get("KUBERNETES_SERVICE_HOST") and not context:
        return in_cluster(env, sa_dir or SA_DIR)
    return from_kubeconfig(config, context)
