"""Exit statuses and the exceptions that carry them."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit statuses; the same in every output format."""

    OK = 0
    FAILURE = 1
    USAGE = 64
    BAD_INPUT = 65
    FINDINGS = 79
    INTERRUPTED = 130


class MeshctlError(Exception):
    """An error with a one-line message and the exit status it maps to."""

    exit_code: ExitCode = ExitCode.FAILURE

    def __init__(self, message: str, exit_code: ExitCode | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class UsageError(MeshctlError):
    """The command line asks for something impossible."""

    exit_code = ExitCode.USAGE


class InputError(MeshctlError):
    """An input (file, dump, stdin) could not be read or parsed."""

    exit_code = ExitCode.BAD_INPUT


class ClusterError(MeshctlError):
    """The Kubernetes API failed, refused or timed out."""

    exit_code = ExitCode.FAILURE
