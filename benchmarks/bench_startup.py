"""Benchmark: the fixed cost of meshctl's commands, and offline analyze of 5,000 resources.

Every command runs as a fresh process, as in CI; each figure is the best CPU time (user + system
of the child) over ``--repeat`` runs, so other load on the machine disturbs it little. Ratios are
against baselines measured in the same run. Targets (issue 16):

  meshctl --help, meshctl version, analyze -f <empty file>, pc clusters -f <tiny dump>
      <= 1.3x  python -c 'import typer'         (the floor for a typer CLI)
  analyze --use-kube=false -f <5,000 generated resources>
      <= 1.5x  a fresh python that only parses the same file with PyYAML's CSafeLoader

Run: python benchmarks/bench_startup.py [--repeat 15] [--resources 5000]
Exit status 0 when every ratio meets its target, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

STARTUP_TARGET = 1.3
ANALYZE_TARGET = 1.5

TINY_DUMP = {"configs": [{
    "@type": "type.googleapis.com/envoy.admin.v3.ClustersConfigDump",
    "static_clusters": [{"cluster": {"@type": "type.googleapis.com/envoy.config.cluster.v3.Cluster",
                                     "name": "prometheus_stats", "type": "STATIC", "connect_timeout": "0.250s"}}],
}]}

PARSE_ONLY = """
import sys, yaml
with open(sys.argv[1], encoding="utf-8") as fh:
    list(yaml.load_all(fh.read(), Loader=yaml.CSafeLoader))
"""


def child_env(pycache: Path) -> dict[str, str]:
    """The children's environment: bytecode cached (as an installed package has it) in a private
    directory, so that neither side pays for compiling sources, whatever PYTHONDONTWRITEBYTECODE says."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "NO_COLOR": "1", "PYTHONPYCACHEPREFIX": str(pycache)}


ENV: dict[str, str] = {}


def cpu_seconds(cmd: list[str], repeat: int) -> float:
    """Best user+system CPU time of ``cmd`` over ``repeat`` fresh processes (after one warm-up run)."""
    best = float("inf")
    env = ENV or {**os.environ, "NO_COLOR": "1"}
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=env)
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=env)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        best = min(best, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return best


def one_file(directory: Path, target: Path) -> Path:
    """The generated files concatenated into one multi-document YAML file."""
    parts = [p.read_text(encoding="utf-8").rstrip("\n") for p in sorted(directory.glob("*.yaml"))]
    target.write_text("\n---\n".join(parts) + "\n", encoding="utf-8")
    return target


def main() -> int:
    """Measure, print one line per figure, and say whether the targets are met."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--resources", type=int, default=5000)
    args = parser.parse_args()
    py = sys.executable
    meshctl = [py, "-m", "meshctl"]
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        ENV.update(child_env(work / "pycache"))
        empty = work / "empty.yaml"
        empty.write_text("", encoding="utf-8")
        dump = work / "dump.json"
        dump.write_text(json.dumps(TINY_DUMP), encoding="utf-8")
        big = one_file(generate(args.resources, work / "gen"), work / "resources.yaml")

        floor = cpu_seconds([py, "-c", "import typer"], args.repeat)
        print(f"baseline  python -c 'import typer'            {floor * 1000:7.1f} ms CPU")
        startup = {
            "meshctl --help": [*meshctl, "--help"],
            "meshctl version": [*meshctl, "version"],
            "analyze -f <empty file>": [*meshctl, "analyze", "--use-kube=false", "-f", str(empty)],
            "pc clusters -f <tiny dump>": [*meshctl, "pc", "clusters", "-f", str(dump)],
        }
        for label, cmd in startup.items():
            spent = cpu_seconds(cmd, args.repeat)
            ratio = spent / floor
            ok &= ratio <= STARTUP_TARGET
            print(f"{label:40s}  {spent * 1000:7.1f} ms CPU  {ratio:5.2f}x  (target <= {STARTUP_TARGET}x)")

        repeat = max(3, args.repeat // 3)
        parse = cpu_seconds([py, "-c", PARSE_ONLY, str(big)], repeat)
        print(f"baseline  CSafeLoader parse of {args.resources} resources  {parse * 1000:7.1f} ms CPU")
        analyze = cpu_seconds([*meshctl, "analyze", "--use-kube=false", "-f", str(big), "-o", "json",
                               "--output-threshold", "Error"], repeat)
        ratio = analyze / parse
        ok &= ratio <= ANALYZE_TARGET
        print(f"{'analyze -f <' + str(args.resources) + ' resources>':40s}  {analyze * 1000:7.1f} ms CPU  "
              f"{ratio:5.2f}x  (target <= {ANALYZE_TARGET}x)")
    print("all targets met" if ok else "some targets missed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
