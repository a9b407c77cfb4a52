"""The writers by format, and the one call that writes a batch's outputs.

Each writer module offers `write(reports, out_dir, taxonomy) -> [paths]`; adding a format
means adding a module and a line here (and its name to `FORMATS`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from importlib import import_module
from pathlib import Path
from typing import Any

from tradelens.report import FORMATS
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


def write_outputs(reports: list[dict[str, Any]], out_dir: Path, formats: Sequence[str],
                  taxonomy: Taxonomy) -> list[Path]:
    """Per-agreement files and batch tables in each format asked for, in FORMATS order
    (the HTML site's methodology page lists `taxonomy`'s weights)."""
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown formats: {', '.join(sorted(unknown))}")
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for fmt in FORMATS:
        if fmt in formats and reports:
            written.extend(writer(fmt)(reports, out_dir, taxonomy))
    return written
