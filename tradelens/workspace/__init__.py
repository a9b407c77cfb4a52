"""The workspace: a folder holding the SQLite store (the truth: agreements, clauses,
findings, reports, the embedding cache) and the FAISS clause index derived from it.

`open_workspace(dir)` is the entry point for reading one from Python or a command.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tradelens.errors import SetupError, no_workspace
from tradelens.workspace.store import DATABASE_FILE, Store


class Workspace:
    """A workspace opened for reading: stored reports, similarity search, lineage."""

    def __init__(self, directory: Path, model_path: Path | None = None) -> None:
        directory = Path(directory)
        if not (directory / DATABASE_FILE).is_file():
            raise SetupError(no_workspace(directory, DATABASE_FILE))
        self.directory = directory
        self.model_path = model_path
        self.store = Store(directory)
        self._search = None

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def agreement_ids(self) -> list[str]:
        return self.store.agreement_ids()

    def report(self, agreement_id: str) -> dict[str, Any] | None:
        """The stored report (the JSON contract) of one agreement, or None."""
        return self.store.report(agreement_id)

    def reports(self) -> Iterator[dict[str, Any]]:
        return self.store.reports()

    @property
    def search(self):  # noqa: ANN201 - a ClauseSearch, imported lazily with FAISS
        if self._search is None:
            from tradelens.workspace.search import ClauseSearch

            self._search = ClauseSearch(self.store, self.model_path)
        return self._search

    def categories(self) -> set[str]:
        """The categories `similar_clauses` can filter on: the core ones and any other
        that a stored finding has."""
        from tradelens.taxonomy import CORE_CATEGORIES

        return set(CORE_CATEGORIES) | self.store.finding_categories()

    def similar_clauses(self, query: str, k: int = 10, category: str | None = None,
                        year_from: int | None = None, year_to: int | None = None,
                        ) -> list[dict[str, Any]]:
        """The `k` stored clauses closest to `query` (free text or a clause id)."""
        return [m.as_dict() for m in self.search.similar(query, k, category, year_from,
                                                         year_to)]

    def lineage(self, clause_id: str, threshold: float = 0.9) -> dict[str, Any]:
        """Older near-identical clauses, oldest first, ending at `clause_id`."""
        return self.search.lineage(clause_id, threshold)


def open_workspace(directory: Path | str, model_path: Path | None = None) -> Workspace:
    """Open an existing workspace for reading (SetupError if there is none)."""
    return Workspace(Path(directory), model_path)
