"""Entry point: build the run's Environment, run the app, map exceptions to exit statuses.

Nothing else handles errors. The command runs in a worker thread; this thread waits for it
until the deadline (plus a short grace) and, if it is still running then, reports what it
was doing and returns 1: no signal ever interrupts the command in the middle of a write.
"""

from __future__ import annotations

import contextvars
import sys
import threading
from typing import Any, NoReturn

from meshctl.errors import ExitCode, MeshctlError


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _run(args: list[str], env: Any) -> int:
    """The command's exit status; every exception mapped here (``--debug`` re-raises internal errors)."""
    import typer

    from meshctl.cli.app import app

    words = [a for a in args[:2] if not a.startswith("-")]
    try:
        with env.deadline.running(" ".join(["meshctl", *words[: len(words)]])):
            rv = app.main(args=args, prog_name="meshctl", standalone_mode=False, obj=env)
        return int(rv) if isinstance(rv, int) else ExitCode.OK
    except MeshctlError as exc:
        env.stderr.write(f"Error: {_one_line(str(exc))}\n")
        return int(exc.exit_code)
    except typer.Exit as exc:
        return int(exc.exit_code)
    except typer.TyperException as exc:  # click's usage errors, as typer vendors them
        env.stderr.write(f"Error: {_one_line(exc.format_message())}\n")
        return int(ExitCode.USAGE if exc.exit_code == 2 else ExitCode.FAILURE)
    except (typer.Abort, KeyboardInterrupt):
        env.stderr.write("Interrupted.\n")
        return int(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        return int(ExitCode.OK)
    except MemoryError:
        env.stderr.write("Error: out of memory; the input is too large (see --max-input-size)\n")
        return int(ExitCode.FAILURE)
    except Exception as exc:  # noqa: BLE001 - last resort: one line unless --debug
        if env.debug:
            raise
        env.stderr.write(f"Error: internal error: {type(exc).__name__}: {_one_line(str(exc))} "
                         "(run with --debug for a traceback)\n")
        return int(ExitCode.FAILURE)


class _Worker(threading.Thread):
    """Runs the command in a copy of the caller's context; keeps its status or its exception."""

    def __init__(self, args: list[str], env: Any) -> None:
        super().__init__(name="meshctl-command", daemon=True)
        self._context = contextvars.copy_context()
        self._args, self._env = args, env
        self.status: int | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.status = self._context.run(_run, self._args, self._env)
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread (--debug tracebacks)
            self.error = exc


def _wait(worker: _Worker, env: Any) -> int:
    from meshctl.deadline import GRACE_SECONDS

    while worker.is_alive():
        left = env.deadline.left_with_grace(GRACE_SECONDS)
        if left <= 0:
            env.stderr.write(f"Error: {_one_line(str(env.deadline.error()))}\n")
            env.stderr.flush()
            return int(ExitCode.FAILURE)
        worker.join(min(left, 0.25))
    if worker.error is not None:
        raise worker.error
    return int(worker.status if worker.status is not None else ExitCode.FAILURE)


def main(argv: list[str] | None = None) -> int:
    """Run meshctl with ``argv`` and return the exit status."""
    from meshctl.cli.app import split_argv
    from meshctl.env import Environment, parse_size, using

    call = split_argv(list(sys.argv[1:] if argv is None else argv))
    env = Environment(stdin=sys.stdin, stdout=sys.stdout, stderr=sys.stderr,
                      no_color=call.no_color, debug=call.debug)
    if call.max_input_size is not None:
        try:
            env.limits = env.limits._replace(max_input_size=parse_size(call.max_input_size))
        except MeshctlError as exc:
            env.stderr.write(f"Error: {_one_line(str(exc))}\n")
            return int(exc.exit_code)
    with using(env):
        worker = _Worker(call.args or ["--help"], env)
        worker.start()
        try:
            return _wait(worker, env)
        except KeyboardInterrupt:
            env.stderr.write("Interrupted.\n")
            return int(ExitCode.INTERRUPTED)


def run() -> None:
    """Console-script entry point: run with the cyclic garbage collector off, then end the process
    at once (see :func:`exit_now`). A command is short-lived and frees what it drops by reference
    counting; a collection after a large read only rescans everything the run still holds (0.1-0.2 s
    after a LIST of 5,000 pods) and frees nothing."""
    import gc

    gc.disable()
    exit_now(main())


def exit_now(status: int) -> NoReturn:
    """Flush the streams, run the atexit handlers, and end the process without tearing the
    interpreter down: freeing every module and object at exit costs a tenth of a short command's
    time (more after a large analysis), and a timed-out command still running must not be waited for."""
    import atexit
    import os

    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    atexit._run_exitfuncs()
    os._exit(status)


if __name__ == "__main__":
    run()
