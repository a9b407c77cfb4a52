"""The Python API: what the CLI does, as functions that return data.

    import tradelens
    report = tradelens.analyse("pta_449.xml")                  # the report contract, a dict
    with tradelens.open_workspace(".tradelens") as ws:
        hits = ws.similar_clauses("No Party shall require ... computing facilities")

Every function takes the CLI's options as keywords (`store`, `model`, `taxonomy`,
`weights`); bad input raises `tradelens.errors.InputError`, a bad set-up `SetupError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tradelens.batch import BatchResult, default_workers
from tradelens.session import DEFAULT_STORE, Session, configured_taxonomy
from tradelens.text.options import ReaderOptions
from tradelens.workspace import Workspace, open_workspace

__all__ = ["analyse", "analyse_paths", "check", "compare", "explain", "open_session",
           "open_workspace", "Session", "Workspace", "BatchResult"]

PathLike = str | Path


def _path(value: PathLike | None) -> Path | None:
    return Path(value) if value is not None else None


def open_session(store: PathLike = DEFAULT_STORE, model: PathLike | None = None,
                 taxonomy: PathLike | None = None, weights: PathLike | None = None,
                 progress: bool = False, ocr: str = "auto") -> Session:
    """A configured pipeline over a workspace (created if missing); close it when done.
    `ocr`: auto (pages without a text layer), always, never."""
    return Session(Path(store), _path(model),
                   configured_taxonomy(_path(taxonomy), _path(weights)), progress=progress,
                   reader_options=ReaderOptions(ocr=ocr))  # type: ignore[arg-type]


def analyse(path: PathLike, *, force: bool = False, **options: Any) -> dict[str, Any]:
    """The report (schema `tradelens.report/1`) for one agreement file; it is also kept in
    the workspace (`store`, default `.tradelens/`)."""
    with open_session(**options) as session:
        return session.analyse(Path(path), force=force)


def analyse_paths(paths: Sequence[PathLike], out: PathLike,
                  formats: Sequence[str] = ("json",), *, force: bool = False,
                  workers: int = 0, progress: bool = False, **options: Any) -> BatchResult:
    """A batch over files and folders: every agreement stored, reports written to `out`.
    Failed inputs are in `result.failures`; they never stop the batch."""
    with open_session(progress=progress, **options) as session:
        return session.analyse_paths([Path(p) for p in paths], Path(out), list(formats),
                                     force=force, progress=progress,
                                     workers=workers or default_workers())


def compare(agreements: Sequence[PathLike], **options: Any) -> dict[str, Any]:
    """Agreements side by side; each is a source file, a report JSON file or a stored id."""
    from tradelens.commands.compare import compare_reports
    from tradelens.commands.inputs import resolve_report

    with open_session(**options) as session:
        return compare_reports([resolve_report(a, session) for a in agreements])


def check(draft: PathLike, against: Sequence[PathLike], **options: Any) -> dict[str, Any]:
    """A draft's rules beside their closest precedents in the references."""
    from tradelens.commands.check import check_draft
    from tradelens.commands.inputs import resolve_report

    with open_session(**options) as session:
        references = [resolve_report(a, session) for a in against]
        return check_draft(Path(draft), references, session.pipeline)


def explain(path: PathLike, clause: str | None = None, **options: Any) -> dict[str, Any]:
    """Why each finding of a file was made (or one clause's decision per category)."""
    from tradelens.commands.explain import explain_file

    with open_session(**options) as session:
        return explain_file(Path(path), session.pipeline, clause)
