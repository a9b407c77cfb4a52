"""Errors a user can act on.

An `InputError` is about one input file: the batch reports it on one line and goes on.
A `SetupError` is about the installation or configuration: nothing can run until it is fixed.
"""

from __future__ import annotations

from pathlib import Path


class TradeLensError(Exception):
    """Base class for errors that are shown to the user without a traceback."""


class InputError(TradeLensError):
    """One input cannot be read; names the file and the reason in one line."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = str(path)
        self.reason = " ".join(reason.split())
        super().__init__(f"{self.path}: {self.reason}")

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        """Travel intact from a batch worker process to the main one."""
        return (InputError, (self.path, self.reason))


class SetupError(TradeLensError):
    """The model, taxonomy or workspace is missing or inconsistent."""
