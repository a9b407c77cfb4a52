"""What a user may name when a command wants an agreement: a source file (analysed, or
answered from the store if unchanged), a TradeLens report JSON file (read as a report, not
re-analysed), or the id of an agreement stored in the workspace."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tradelens.errors import InputError, not_an_agreement, unreadable
from tradelens.report.contract import SCHEMA_ID, is_report
from tradelens.session import Session

#: A report file larger than this is refused rather than parsed.
MAX_REPORT_BYTES = 64 * 1024 * 1024


def _looks_like_json(path: Path) -> bool:
    with path.open("rb") as handle:
        head = handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{")


def read_report_file(path: Path) -> dict[str, Any]:
    """A TradeLens report JSON file, checked to be one."""
    if path.stat().st_size > MAX_REPORT_BYTES:
        raise InputError(path, f"JSON file larger than {MAX_REPORT_BYTES // 2**20} MB")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(path, f"not valid JSON ({exc})") from exc
    if not is_report(data):
        raise InputError(path, f"JSON, but not a TradeLens report (no \"schema\": "
                               f"\"{SCHEMA_ID}\")")
    return data


def resolve_report(name: str | Path, session: Session) -> dict[str, Any]:
    """The report for what the user named (see the module docstring)."""
    path = Path(name)
    if path.is_file():
        try:
            is_json = _looks_like_json(path)
        except OSError as exc:
            raise InputError(path, unreadable(exc)) from exc
        return read_report_file(path) if is_json else session.analyse(path)
    if path.is_dir():
        raise InputError(path, "is a directory; name an agreement file, report or id")
    stored = session.store.report(str(name))
    if stored is not None:
        return stored
    raise InputError(name, not_an_agreement(name, session.store.directory))
