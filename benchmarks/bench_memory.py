"""Benchmark: peak memory of `meshctl analyze` on a ~50 MB input, as a ratio to the input size.

Budget (issue 2): about 10x the input size. Run: python benchmarks/bench_memory.py [resources]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

MEASURE = """
import contextlib, io, resource, sys
from meshctl.__main__ import main
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
with contextlib.redirect_stdout(io.StringIO()):
    main(["analyze", "--use-kube=false", "-f", sys.argv[1], "-o", "json", "--output-threshold", "Error"])
print(before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def main() -> None:
    """Generate the input, run analyze in a child process, print the ratio."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 190_000
    with tempfile.TemporaryDirectory() as tmp:
        directory = generate(count, Path(tmp) / "mesh")
        size = sum(p.stat().st_size for p in directory.glob("*.yaml"))
        out = subprocess.run([sys.executable, "-c", MEASURE, str(directory)], capture_output=True,
                             text=True, check=True).stdout.split()
        baseline_kb, peak_kb = int(out[0]), int(out[1])
    growth = (peak_kb - baseline_kb) * 1024
    print(f"input {size / 1e6:.1f} MB, peak RSS growth {growth / 1e6:.1f} MB, ratio {growth / size:.2f} "
          f"(budget <= 10)")


if __name__ == "__main__":
    main()
