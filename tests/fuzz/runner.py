"""Run one fuzz case as its own meshctl process and measure it: exit status, output, wall time, peak RSS."""

from __future__ import annotations

import contextlib
import os
import resource
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from tests.fuzz.cases import POD, SECRET_FORMS, Case

#: a hard ceiling on the address space of a case's process, so that no input can take the machine down
ADDRESS_SPACE_LIMIT = 4 << 30
#: the peak RSS a case may reach (a meshctl process with everything imported stays well under it)
RSS_BOUND_KB = 768 * 1024
#: how long past its --timeout a case may take (interpreter start-up and exit included)
SLACK_SECONDS = 8.0
#: what the contract allows at all
DOCUMENTED_CODES = frozenset({0, 1, 64, 65, 79})


@dataclass
class Outcome:
    """What one run produced."""

    code: int
    stdout: str
    stderr: str
    seconds: float
    rss_kb: int
    killed: bool


def _limit() -> None:  # runs in the child before exec
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_LIMIT, ADDRESS_SPACE_LIMIT))


def _endless(stream: object, stop: threading.Event) -> None:
    chunk = b"a: b\n" * 13_000
    try:
        while not stop.is_set():
            stream.write(chunk)  # type: ignore[attr-defined]
    except (BrokenPipeError, OSError, ValueError):
        pass


def run(case: Case, workdir: Path, charts: str) -> Outcome:
    """Run ``case`` in ``workdir`` (its input written there) with a fresh HOME and no kubeconfig."""
    workdir.mkdir(parents=True, exist_ok=True)
    pod = workdir / "pod.yaml"
    pod.write_text(POD)
    target = workdir / "input.yaml"
    if case.special == "fifo":
        os.mkfifo(target)
    elif case.special == "directory":
        target = workdir / "dir"
        target.mkdir()
    elif case.special.startswith("/dev/"):
        target = Path(case.special)
    elif case.data is not None and not case.stdin:
        if case.data.lstrip().startswith(b"{"):
            target = workdir / "input.json"
        target.write_bytes(case.data)
    argv = [a.format(f=target, pod=pod, charts=charts) for a in case.argv]
    argv += ["--timeout", f"{case.timeout:g}", *case.extra]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KUBE", "MESHCTL_", "NO_COLOR"))}
    env.update(HOME=str(workdir), XDG_CACHE_HOME=str(workdir / "cache"), PYTHONDONTWRITEBYTECODE="1")
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "meshctl", *argv], cwd=workdir, env=env, preexec_fn=_limit,
                            stdin=subprocess.PIPE if case.stdin else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out: dict[str, bytes] = {}
    readers = [threading.Thread(target=lambda n=n, s=s: out.__setitem__(n, s.read()))  # type: ignore[misc]
               for n, s in (("stdout", proc.stdout), ("stderr", proc.stderr))]
    for reader in readers:
        reader.start()
    stop = threading.Event()
    feeder = None
    if case.stdin:
        assert proc.stdin is not None
        if case.special == "endless":
            feeder = threading.Thread(target=_endless, args=(proc.stdin, stop), daemon=True)
            feeder.start()
        else:
            try:
                proc.stdin.write(case.data or b"")
                proc.stdin.close()
            except BrokenPipeError:
                pass
    killed = threading.Event()

    def _kill() -> None:
        killed.set()
        proc.kill()

    timer = threading.Timer(case.timeout + SLACK_SECONDS, _kill)
    timer.start()
    _, status, usage = os.wait4(proc.pid, 0)
    timer.cancel()
    seconds = time.monotonic() - start
    stop.set()
    proc.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join()
    if proc.stdin and not proc.stdin.closed:
        with contextlib.suppress(BrokenPipeError):
            proc.stdin.close()
    return Outcome(proc.returncode, out.get("stdout", b"").decode("utf-8", "replace"),
                   out.get("stderr", b"").decode("utf-8", "replace"), seconds, usage.ru_maxrss, killed.is_set())


def violations(case: Case, got: Outcome) -> list[str]:
    """How ``got`` breaks the contract for ``case`` (empty: it holds)."""
    problems = []
    lines = got.stderr.strip().splitlines()
    if got.killed:
        problems.append(f"still running {case.timeout + SLACK_SECONDS:g}s after start (--timeout {case.timeout:g})")
    if got.code not in DOCUMENTED_CODES:
        problems.append(f"exit {got.code} is not a documented status")
    elif got.code not in case.allowed:
        problems.append(f"exit {got.code}, expected one of {sorted(case.allowed)}")
    if "Traceback" in got.stderr or "internal error" in got.stderr:
        problems.append("internal error or traceback")
    if got.code in (1, 64, 65) and (len(lines) != 1 or not lines[0].startswith("Error: ")):
        problems.append(f"{len(lines)} lines on stderr, expected one 'Error: ...' line")
    if case.stderr_has and got.code in case.allowed and case.stderr_has not in got.stderr:
        problems.append(f"stderr does not say {case.stderr_has!r}")
    if got.rss_kb > RSS_BOUND_KB:
        problems.append(f"peak RSS {got.rss_kb // 1024} MiB over {RSS_BOUND_KB // 1024} MiB")
    if not case.secret_may_echo and any(s in got.stdout or s in got.stderr for s in SECRET_FORMS):
        problems.append("a planted secret was printed")
    return problems
