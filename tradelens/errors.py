"""Errors a user can act on.

An `InputError` is about one input file: the batch reports it on one line and goes on.
A `SetupError` is about the installation or configuration: nothing can run until it is fixed.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path


def printable(text: str) -> str:
    """`text` safe to print on one terminal line: control and format characters (newlines,
    escape sequences, bidirectional overrides) shown as escapes, so a hostile file name
    can neither forge an output line nor drive the terminal."""
    out = []
    for ch in text:
        category = unicodedata.category(ch)
        if category[0] not in "CZ" or category == "Zs":
            out.append(ch)
        else:  # Cc, Cf, Cs, Co, Cn, and the line and paragraph separators Zl, Zp
            out.append(ch.encode("unicode_escape", "backslashreplace").decode("ascii"))
    return "".join(out)


class TradeLensError(Exception):
    """Base class for errors that are shown to the user without a traceback."""


class InputError(TradeLensError):
    """One input cannot be read; names the file and the reason in one line."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = str(path)
        self.reason = printable(" ".join(reason.split()))
        super().__init__(f"{printable(self.path)}: {self.reason}")

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        """Travel intact from a batch worker process to the main one."""
        return (InputError, (self.path, self.reason))


class SetupError(TradeLensError):
    """The model, taxonomy or workspace is missing or inconsistent."""


# -- the message catalogue ---------------------------------------------------------------
# What users read when an input or a workspace cannot be used, worded once. Each reader
# keeps the reasons only it can know (an encrypted PDF, a zip bomb in a DOCX) beside the
# check that finds them.

NO_SUCH_FILE = "no such file"
IS_DIRECTORY = "is a directory"
NO_CLAUSES = "no clauses found in the text"


def unreadable(exc: OSError) -> str:
    return f"cannot be read ({exc.strerror or exc})"


def id_taken(agreement_id: str, other: str) -> str:
    return (f"agreement id '{agreement_id}' is already used by {other}; rename the file or "
            "give it an 'Id:' header")


def id_in_store(agreement_id: str, other: str) -> str:
    return (f"agreement id '{agreement_id}' is already in the workspace for {other}, a "
            "different text; it was kept. Rename this file, give it an 'Id:' header, or use "
            "another --store")


def damaged_workspace(path: Path, exc: Exception) -> str:
    return (f"{path}: the workspace database cannot be read ({exc}); run `tradelens doctor "
            f"--store {path.parent}` (move the file aside and re-run `tradelens analyse` if "
            "it cannot be repaired)")


def read_only_workspace(directory: Path) -> str:
    return (f"{directory}: the workspace folder is read-only; commands that only read it "
            "work, analysing new files needs a --store you can write")


def no_workspace(directory: Path, database: str) -> str:
    return (f"{directory}: no TradeLens workspace here (no {database}); run "
            f"`tradelens analyse ... --store {directory}` first")


def no_clause_index(directory: Path) -> str:
    return (f"{directory}: no clause index here; run `tradelens analyse ... --store "
            f"{directory}` first")


def not_an_agreement(name: str | Path, directory: Path) -> str:
    return f"no such file, and no agreement with this id in the workspace {directory}"
