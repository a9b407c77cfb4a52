"""The writers by format, and the one call that writes a batch's outputs.

Each writer module offers `write(reports, out_dir, taxonomy) -> [paths]`; adding a format
means adding a module and a line here (and its name to `FORMATS`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from importlib import import_module
from pathlib import Path
from typing import Any

from tradelens.errors import SetupError
from tradelens.report import FORMATS
from tradelens.report.contract import published
from tradelens.taxonomy import Taxonomy

Writer = Callable[[list[dict[str, Any]], Path, Taxonomy], list[Path]]

#: format -> module holding its `write` (imported only when that format is asked for).
_MODULES = {"json": "tradelens.report.json_report", "md": "tradelens.report.markdown",
            "csv": "tradelens.report.csv_report", "html": "tradelens.report.html_site"}
assert set(_MODULES) == set(FORMATS)


def writer(fmt: str) -> Writer:
    if fmt not in _MODULES:
        raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    return import_module(_MODULES[fmt]).write


def check_writable(out_dir: Path) -> None:
    """Make `out_dir` and prove a file can be written there, before any work is done, so
    a typo or a read-only folder fails in a second, not after an hour's batch."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out_dir):
            pass
    except OSError as exc:
        raise SetupError(f"{out_dir}: cannot write reports there "
                         f"({exc.strerror or exc})") from exc


def write_outputs(reports: list[dict[str, Any]], out_dir: Path, formats: Sequence[str],
                  taxonomy: Taxonomy, full_paths: bool = False) -> list[Path]:
    """Per-agreement files and batch tables in each format asked for, in FORMATS order
    (the HTML site's methodology page lists `taxonomy`'s weights). Every writer gets the
    published form of the reports: file names, not the folders of this machine, unless
    `full_paths`."""
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown formats: {', '.join(sorted(unknown))}")
    out_dir.mkdir(parents=True, exist_ok=True)
    reports = [published(report, full_paths) for report in reports]
    written: list[Path] = []
    for fmt in FORMATS:
        if fmt in formats and reports:
            written.extend(writer(fmt)(reports, out_dir, taxonomy))
    return written
