"""Benchmark: meshctl analyze vs plain PyYAML CSafeLoader on the same files, and startup time.

Prints ratios measured in the same run. Budgets (issue 2):
  startup: `meshctl --help` / `meshctl version` vs a bare typer app with two commands <= 1.3
  analyze: analyze / CSafeLoader parse <= 1.5 at 10k; analyze(100k) / analyze(10k) <= 11

Run: python benchmarks/bench_analyze.py [--sizes 1000,10000,100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

BARE_TYPER = """
import typer
app = typer.Typer()
@app.command()
def one(name: str = "x") -> None:
    print(name)
@app.command()
def two() -> None:
    print("two")
app()
"""


def _time(cmd: list[str], repeat: int) -> float:
    """Median wall time of a command, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


PARSE_ONLY = """
import sys, pathlib, yaml
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.yaml")):
    list(yaml.load_all(path.read_text(), Loader=yaml.CSafeLoader))
"""


def _parse_only(directory: Path) -> list[str]:
    """Plain PyYAML CSafeLoader over the same files, in a fresh interpreter."""
    return [sys.executable, "-c", PARSE_ONLY, str(directory)]


def _analyze(directory: Path) -> list[str]:
    """meshctl analyze with every default analyzer, in a fresh interpreter."""
    return [sys.executable, "-m", "meshctl", "analyze", "--use-kube=false", "-f", str(directory), "-o", "json",
            "--output-threshold", "Error"]


def _best(cmd: list[str], repeat: int) -> float:
    """Best wall time of a command over ``repeat`` runs (each a fresh process, as in CI)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        best = min(best, time.perf_counter() - start)
    return best


def bench_startup(repeat: int) -> dict[str, float]:
    """Startup ratios against a bare typer app."""
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(BARE_TYPER)
    bare_help = _time([sys.executable, f.name, "--help"], repeat)
    bare_run = _time([sys.executable, f.name, "two"], repeat)
    ours_help = _time([sys.executable, "-m", "meshctl", "--help"], repeat)
    ours_version = _time([sys.executable, "-m", "meshctl", "version"], repeat)
    return {"help_ratio": ours_help / bare_help, "version_ratio": ours_version / bare_run,
            "bare_help_s": bare_help, "meshctl_help_s": ours_help}


def bench_analyze(sizes: list[int], repeat: int) -> dict[int, dict[str, float]]:
    """analyze time and its ratio to CSafeLoader parsing, per size."""
    out: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            directory = generate(size, Path(tmp) / str(size))
            parse = _best(_parse_only(directory), repeat)
            analyze = _best(_analyze(directory), repeat)
            out[size] = {"parse_s": parse, "analyze_s": analyze, "ratio": analyze / parse}
    return out


def main() -> None:
    """Run both benchmarks and print ratios with their budgets."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    start = bench_startup(max(args.repeat, 5))
    print(f"startup: help {start['help_ratio']:.2f}x bare typer, version {start['version_ratio']:.2f}x "
          f"(budget <= 1.3)")
    sizes = [int(s) for s in args.sizes.split(",")]
    results = bench_analyze(sizes, args.repeat)
    for size, r in results.items():
        print(f"analyze {size:>7}: {r['analyze_s']:.3f}s, parse {r['parse_s']:.3f}s, ratio {r['ratio']:.2f}"
              + (" (budget <= 1.5)" if size == 10000 else ""))
    if 10000 in results and 100000 in results:
        scale = results[100000]["analyze_s"] / results[10000]["analyze_s"]
        print(f"analyze 100k/10k: {scale:.2f} (budget <= 11)")


if __name__ == "__main__":
    main()
