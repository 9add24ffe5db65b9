"""Benchmark: rendering Istio's charts for each profile with Helm's engine (in-process helm-python-sdk).

Run: ``python benchmarks/bench_install.py [CHARTS_DIR]`` (default ``../shared/istio/charts``). Prints, per
profile, the objects rendered and the seconds for a first render (per-process cache cleared) and a
repeated one; and the seconds of ``meshctl manifest generate`` as a fresh process.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from meshctl.install import engine
from meshctl.install.manifest import render_objects

PROFILES = ("default", "demo", "minimal", "ambient", "remote", "empty", "preview", "stable")


def main() -> None:
    charts = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared/istio/charts"
    print(f"engine: {engine.engine_name()}; charts: {charts}")
    for profile in PROFILES:
        engine._render_cached.cache_clear()
        start = time.perf_counter()
        objects = render_objects(profile, charts_dir=charts)
        first = time.perf_counter() - start
        start = time.perf_counter()
        render_objects(profile, charts_dir=charts)
        again = time.perf_counter() - start
        print(f"{profile:8} {len(objects):3} objects  first {first:6.3f}s  cached {again:6.3f}s")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "meshctl", "manifest", "generate", "--charts", str(charts)],
                   check=True, stdout=subprocess.DEVNULL)
    print(f"meshctl manifest generate (fresh process, default profile): {time.perf_counter() - start:.3f}s")


if __name__ == "__main__":
    main()
