"""The app's one session, and the one thread that uses it.

The pipeline (models, classifier) is loaded once at start-up. Every piece of work that
touches it or the workspace (SQLite, FAISS) runs on a single worker thread: that thread
opens the SQLite connections and is the only one to use them, and work is serialised
without a lock to forget. Request handlers await `Engine.run(fn, ...)`.
"""

from __future__ import annotations

import asyncio
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from tradelens.errors import SetupError
from tradelens.report.svg_charts import year_of
from tradelens.serve import drafts
from tradelens.serve.precedents import PrecedentIndex
from tradelens.session import Session
from tradelens.taxonomy import Taxonomy

T = TypeVar("T")

#: Drafts kept in memory at once (oldest dropped first) and for how long.
MAX_DRAFTS = 16
DRAFT_TTL_SECONDS = 2 * 3600


@dataclass
class Settings:
    store_dir: Path
    model_path: Path | None = None
    taxonomy: Taxonomy | None = None
    #: Largest upload or pasted text accepted, in bytes.
    max_upload_bytes: int = 10 * 2**20


class Engine:
    """The session, the workspace catalogue and the drafts in memory."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tradelens")
        self.session: Session | None = None
        self.workspace: Any = None
        self.precedents: PrecedentIndex | None = None
        self.catalogue: list[dict[str, Any]] = []
        #: clause id -> category -> strength, for filtering search hits.
        self.finding_strength: dict[str, dict[str, str]] = {}
        self.drafts: OrderedDict[str, drafts.Draft] = OrderedDict()
        #: Guards `drafts`: handlers look drafts up on the event loop's thread.
        self._drafts_lock = threading.Lock()
        self._reports: dict[str, dict[str, Any] | None] = {}

    # -- the worker thread ----------------------------------------------------------------

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._thread, fn, *args)

    def call(self, fn: Callable[..., T], *args: Any) -> T:
        """Run on the worker thread from synchronous code (start-up, benchmarks)."""
        return self._thread.submit(fn, *args).result()

    def start(self) -> None:
        self.call(self._open)

    def stop(self) -> None:
        try:
            self.call(self._close)
        finally:
            self._thread.shutdown(wait=True)

    def _open(self) -> None:
        from tradelens.workspace import Workspace

        s = self.settings
        self.session = Session(s.store_dir, s.model_path, s.taxonomy)
        self.session.pipeline.prepare()
        self.session.pipeline.classifier  # noqa: B018 - load spaCy and the exemplar index now
        self.workspace = Workspace(s.store_dir, s.model_path)
        self.refresh()

    def _close(self) -> None:
        with self._drafts_lock:
            self.drafts.clear()
        if self.workspace is not None:
            self.workspace.close()
        if self.session is not None:
            self.session.close()

    @property
    def pipeline(self):  # noqa: ANN201 - the session's Pipeline
        assert self.session is not None
        return self.session.pipeline

    @property
    def store(self):  # noqa: ANN201 - the session's Store
        assert self.session is not None
        return self.session.store

    # -- the workspace --------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the stored reports: the catalogue, the precedents, the search index."""
        reports = list(self.store.reports())
        self._reports = {}
        self.precedents = PrecedentIndex(reports, self.pipeline)
        self.catalogue = [_summary(r) for r in reports]
        self.finding_strength = {}
        for report in reports:
            for category, body in report["categories"].items():
                for f in body["findings"]:
                    self.finding_strength.setdefault(f["clause_id"], {})[category] = \
                        f["strength"]
        self.workspace._search = None  # reopened on next use, with the current index

    def report(self, agreement_id: str) -> dict[str, Any] | None:
        """A stored report, parsed once per refresh (a page may cite one many times)."""
        if agreement_id not in self._reports:
            self._reports[agreement_id] = self.store.report(agreement_id)
        return self._reports[agreement_id]

    def search(self, query: str, k: int, category: str | None, year_from: int | None,
               year_to: int | None) -> list[dict[str, Any]]:
        try:
            return self.workspace.similar_clauses(query, k, category, year_from, year_to)
        except SetupError:
            return []

    # -- drafts ---------------------------------------------------------------------------

    def check(self, data: bytes, name: str, references: list[str], owner: str) -> drafts.Draft:
        self._expire()
        token = secrets.token_urlsafe(18)
        assert self.precedents is not None
        draft = drafts.analyse_upload(self.pipeline, self.store, self.precedents, data, name,
                                      references, token, owner)
        with self._drafts_lock:
            self.drafts[token] = draft
            while len(self.drafts) > MAX_DRAFTS:
                self.drafts.popitem(last=False)
        return draft

    def draft(self, token: str, owner: str) -> drafts.Draft | None:
        """A draft of this browser session, or None (unknown, expired or someone else's)."""
        self._expire()
        with self._drafts_lock:
            found = self.drafts.get(token)
        return found if found is not None and secrets.compare_digest(found.owner, owner) \
            else None

    def forget(self, token: str, owner: str) -> None:
        if self.draft(token, owner) is not None:
            with self._drafts_lock:
                self.drafts.pop(token, None)

    def save(self, draft: drafts.Draft) -> None:
        from tradelens.workspace.index import rebuild_index

        drafts.save_draft(draft, self.pipeline, self.store)
        rebuild_index(self.store, self.pipeline.static.model_id)
        self.refresh()

    def _expire(self) -> None:
        limit = time.time() - DRAFT_TTL_SECONDS
        with self._drafts_lock:
            for token in [t for t, d in self.drafts.items() if d.created < limit]:
                del self.drafts[token]


def _summary(report: dict[str, Any]) -> dict[str, Any]:
    """What the workspace page lists and filters on, for one stored agreement."""
    agreement = report["agreement"]
    return {"id": agreement["id"], "title": agreement["title"] or agreement["id"],
            "date_signed": agreement["date_signed"] or "",
            "year": year_of(agreement["date_signed"]), "parties": agreement["parties"],
            "score": report["policy_space"]["score"],
            "statuses": {c: b["status"] for c, b in report["categories"].items()},
            "scores": {c: b["policy_space"] for c, b in report["categories"].items()}}
