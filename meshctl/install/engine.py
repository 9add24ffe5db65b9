"""Helm's own template engine: render one chart with values into Kubernetes objects.

In-process through ``helm-python-sdk`` (``pip install 'meshctl[helm]'``: a C ABI over the official
Helm Go SDK, so the rendering is Helm's, with no subprocess and no binary to find), else the ``helm``
binary when it is on PATH (``helm template``). Both render offline, as ``helm template`` does.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from meshctl.errors import InputError, MeshctlError

Obj = dict[str, Any]
NO_ENGINE = ("rendering Istio's charts needs Helm's engine: pip install 'meshctl[helm]' "
             "(helm-python-sdk), or put the helm binary on PATH (https://helm.sh/docs/intro/install/)")


def engine_name() -> str:
    """``helm-python-sdk`` or ``helm`` (the binary); MeshctlError when neither is available."""
    if _sdk() is not None:
        return "helm-python-sdk"
    if shutil.which("helm"):
        return "helm"
    raise MeshctlError(NO_ENGINE)


@lru_cache(maxsize=1)
def _sdk() -> Any:
    try:
        import helm_python
    except (ImportError, OSError):  # OSError: the shared library cannot be loaded on this platform
        return None
    return helm_python


def _documents(name: str, text: str) -> list[Obj]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        docs = list(yaml.load_all(text, Loader=loader))  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise InputError(f"{name} rendered invalid YAML: {' '.join(str(exc).split())}") from None
    return [d for d in docs if isinstance(d, dict) and d.get("kind")]


@lru_cache(maxsize=32)
def _render_cached(path: str, values_json: str, release: str, namespace: str) -> tuple[str, ...]:
    """Rendered manifests (one string per template), cached per process for identical inputs."""
    values = json.loads(values_json)
    sdk = _sdk()
    if sdk is not None:
        try:
            with sdk.Chart.load(path) as chart:
                out = chart.render(values=values, name=release, namespace=namespace, is_install=True)
        except sdk.HelmError as exc:
            raise InputError(f"chart {Path(path).name}: {' '.join(str(exc).split())}") from None
        return tuple(text for key, text in sorted(out.items())
                     if not key.endswith("NOTES.txt") and key.rsplit("/", 1)[-1][:1] != "_")
    return (_helm_template(path, values_json, release, namespace),)


def _helm_template(path: str, values_json: str, release: str, namespace: str) -> str:
    helm = shutil.which("helm")
    if helm is None:
        raise MeshctlError(NO_ENGINE)
    with tempfile.NamedTemporaryFile("w", suffix=".json") as handle:
        handle.write(values_json)
        handle.flush()
        proc = subprocess.run([helm, "template", release, path, "--namespace", namespace, "--values", handle.name],
                              capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        detail = " ".join(proc.stderr.split()) or f"exit status {proc.returncode}"
        raise InputError(f"chart {Path(path).name}: {detail}")
    return proc.stdout


def render_chart(path: Path, values: Mapping[str, Any], release: str, namespace: str) -> list[Obj]:
    """The objects a chart renders for ``values`` as release ``release`` in ``namespace``."""
    engine_name()
    texts = _render_cached(str(path), json.dumps(values, sort_keys=True), release, namespace)
    out: list[Obj] = []
    for text in texts:
        out += _documents(Path(path).name, text)
    return out
