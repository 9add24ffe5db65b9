"""The contract under generated hostile input, for every reader (issue 14).

Each case runs as its own ``meshctl`` process: the exit status must be documented and mean
what it should (65 for input a guard refuses, 1 only for a deadline), errors are one line
without a traceback, the run ends within its ``--timeout`` (plus start-up), its peak RSS
stays under a bound, and no planted secret is printed. ``--fuzz-cases N`` and
``--fuzz-seed S`` size and pick the run; the normal run uses a small fixed one.
"""

from __future__ import annotations

import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import SHARED_ISTIO
from tests.fuzz import cases as gen
from tests.fuzz.options import record
from tests.fuzz.runner import run, violations


def _charts() -> str:
    charts = SHARED_ISTIO / "charts"
    return str(charts if charts.is_dir() else "/nonexistent-charts")


def test_generation_is_seeded() -> None:
    first = gen.generate(7, 50)
    again = gen.generate(7, 50)
    other = gen.generate(8, 50)
    assert [(c.family, c.reader, c.data) for c in first] == [(c.family, c.reader, c.data) for c in again]
    assert [(c.family, c.reader, c.data) for c in first] != [(c.family, c.reader, c.data) for c in other]


def test_every_reader_and_family_is_generated() -> None:
    many = gen.generate(1, 3000)
    readers = {c.reader for c in many}
    assert readers >= set(gen.YAML_READERS) | set(gen.DUMP_READERS)
    families = {c.family.partition(":")[0] for c in many}
    assert families == {"guarded", "object-wrong-type", "mesh-wrong-type", "mutated-yaml", "mutated-dump", "secret",
                        "special", "stdin"}
    assert {c.family for c in many if c.family.startswith("guarded:")} == {f"guarded:{k}" for k in gen.GUARDED}


def test_the_contract_holds(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    count = request.config.getoption("--fuzz-cases")
    seed = request.config.getoption("--fuzz-seed")
    jobs = max(1, request.config.getoption("--fuzz-jobs"))
    dumps = sorted((SHARED_ISTIO / "configdumps").glob("*/config_dump.json")) if SHARED_ISTIO.is_dir() else []
    cases = gen.generate(seed, count, dumps)
    charts = _charts()
    start = time.monotonic()

    def one(index: int) -> tuple[int, list[str], int, float]:
        case = cases[index]
        got = run(case, tmp_path / f"case{index}", charts)
        problems = violations(case, got)
        if problems:
            problems.append(f"stderr: {got.stderr.strip()[-300:]!r}")
        return index, problems, got.rss_kb, got.seconds

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(one, range(len(cases))))
    failures = [(i, problems) for i, problems, _, _ in results if problems]
    peak = max((rss for _, _, rss, _ in results), default=0)
    slowest = max((s for _, _, _, s in results), default=0.0)
    by_family = Counter(c.family.partition(":")[0] for c in cases)
    record(f"{len(cases)} cases, seed {seed}, {len(failures)} failing, {time.monotonic() - start:.0f}s; "
           f"peak RSS {peak // 1024} MiB, slowest case {slowest:.1f}s")
    record("families: " + ", ".join(f"{k} {v}" for k, v in sorted(by_family.items())))
    details = [f"case {i} [{cases[i].family}] {cases[i].reader}: {'; '.join(p)}" for i, p in failures[:25]]
    summary = f"{len(failures)} of {len(cases)} cases (seed {seed}) break the contract:\n"
    assert not failures, summary + "\n".join(details)
