"""Entry point: run the app and map exceptions to exit statuses. Nothing else handles errors."""

from __future__ import annotations

import os
import sys

from meshctl.errors import ExitCode, MeshctlError


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def main(argv: list[str] | None = None) -> int:
    """Run meshctl with ``argv`` and return the exit status."""
    import typer

    from meshctl.cli.app import app, global_flags, normalize_argv
    from meshctl.deadline import deadline, explicit_timeout

    args = normalize_argv(list(sys.argv[1:] if argv is None else argv)) or ["--help"]
    try:
        with deadline(explicit_timeout(args)), global_flags(args) as command_args:
            rv = app.main(args=command_args, prog_name="meshctl", standalone_mode=False)
        return int(rv) if isinstance(rv, int) else ExitCode.OK
    except MeshctlError as exc:
        sys.stderr.write(f"Error: {_one_line(str(exc))}\n")
        return int(exc.exit_code)
    except typer.Exit as exc:
        return int(exc.exit_code)
    except typer.TyperException as exc:  # click's usage errors, as typer vendors them
        sys.stderr.write(f"Error: {_one_line(exc.format_message())}\n")
        return int(ExitCode.USAGE if exc.exit_code == 2 else ExitCode.FAILURE)
    except (typer.Abort, KeyboardInterrupt):
        sys.stderr.write("Interrupted.\n")
        return int(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        return int(ExitCode.OK)
    except Exception as exc:  # noqa: BLE001 - last resort: one line unless --debug
        if os.environ.get("MESHCTL_DEBUG") or "--debug" in args:
            raise
        sys.stderr.write(f"Error: internal error: {type(exc).__name__}: {_one_line(str(exc))} "
                         "(run with --debug for a traceback)\n")
        return int(ExitCode.FAILURE)


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    run()
