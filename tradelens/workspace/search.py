"""Similarity search and clause lineage over a workspace's clause index.

Both read the FAISS index, whose vectors are the first-pass (static) embedding of every
stored clause: a query is embedded the same way, in microseconds and without loading the
sentence model, so a search answers while a negotiator reads. The static embedding is
strongest on shared wording, which is what template diffusion leaves behind: `lineage`
follows a clause back to the oldest agreements that carry near-identical text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tradelens.errors import TradeLensError
from tradelens.workspace.index import Notify, current_index, nearest, notice
from tradelens.workspace.store import Store

#: How many extra neighbours are fetched when filters may drop some.
_OVERFETCH = 20


@dataclass
class Match:
    clause_id: str
    agreement_id: str
    title: str | None
    date_signed: str | None
    location: str
    text: str
    similarity: float
    score: float | None
    categories: list[str] = field(default_factory=list)
    #: In a lineage chain: similarity with the next (younger) clause of the chain.
    to_next: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


class ClauseLookupError(TradeLensError):
    """A clause the workspace cannot answer for: an unknown id, or an undated agreement."""


class ClauseSearch:
    """A workspace's clause index with the query encoder that matches it."""

    def __init__(self, store: Store, model_path: Path | None = None,
                 notify: Notify = notice) -> None:
        """Open the index, checked against the store's generation and repaired (with a
        notice) if it is stale, missing or damaged."""
        from tradelens.vectors.sentence import SentenceEncoder
        from tradelens.vectors.static import StaticEncoder

        self.store = store
        self.notify = notify
        self.static = StaticEncoder(SentenceEncoder(model_path))
        self.index, self.facts = current_index(store, self.static.model_id, notify)

    def refresh(self) -> None:
        """Follow the store: a long-lived search (an app) re-reads or rebuilds the index
        when another process or session has stored agreements since it was opened."""
        if self.store.generation() != self.facts.get("generation"):
            self.index, self.facts = current_index(self.store, self.static.model_id,
                                                   self.notify)

    # -- vectors --------------------------------------------------------------------------

    def clause_key(self, clause_id: str) -> tuple[int, str]:
        key = self.store.clause_key(clause_id)
        if key is None:
            raise ClauseLookupError(f"clause '{clause_id}' is not in the workspace "
                                    f"{self.store.directory}")
        return key

    def query_vector(self, query: str) -> tuple[np.ndarray, int | None]:
        """A clause id's stored vector (and its row), or the embedding of free text."""
        looks_like_id = " " not in query.strip() and ":" in query
        if looks_like_id:
            row, text_hash = self.clause_key(query.strip())
            return self.store.get_embeddings([text_hash], self.static.model_id)[text_hash], row
        return self.static.encode([query])[0], None

    def _matches(self, scored: list[tuple[int, float]]) -> list[Match]:
        rows = self.store.clause_rows([row for row, _ in scored])
        return [Match(**rows[row], similarity=round(similarity, 4))
                for row, similarity in scored if row in rows]

    # -- search ---------------------------------------------------------------------------

    def similar(self, query: str, k: int = 10, category: str | None = None,
                year_from: int | None = None, year_to: int | None = None) -> list[Match]:
        """The `k` clauses closest to `query` (text or clause id), filtered."""
        self.refresh()
        vector, own_row = self.query_vector(query)
        if category:
            scored = self._exact_among_findings(vector, category)
        else:
            fetch = min(self.index.ntotal, k + 1 if year_from is None and year_to is None
                        else k * _OVERFETCH)
            scored = [(hit.row_id, hit.score) for hit in nearest(self.index, vector, fetch)]
        scored = [(r, s) for r, s in scored if r != own_row]
        matches = self._matches(scored)
        return [m for m in matches if _in_years(m.date_signed, year_from, year_to)][:k]

    def _exact_among_findings(self, vector: np.ndarray, category: str) -> list[tuple[int, float]]:
        """Exact similarity with every clause that is a finding of `category`."""
        keys = self.store.finding_clause_keys(category)
        if not keys:
            return []
        vectors = self.store.get_embeddings([h for _, h in keys], self.static.model_id)
        known = [(r, vectors[h]) for r, h in keys if h in vectors]
        similarity = np.vstack([v for _, v in known]) @ vector
        return [(known[i][0], float(similarity[i])) for i in np.argsort(-similarity)]

    # -- lineage --------------------------------------------------------------------------

    def lineage(self, clause_id: str, threshold: float = 0.9, k: int = 200) -> dict[str, Any]:
        """Older clauses with near-identical wording, oldest first, ending at `clause_id`."""
        self.refresh()
        vector, own_row = self.query_vector(clause_id)
        if own_row is None:
            raise ClauseLookupError(f"'{clause_id}' is not a clause id: lineage follows one "
                                    "stored clause (agreement:clause, as `tradelens search` "
                                    "shows); use `tradelens search` for free text")
        origin = self._matches([(own_row, 1.0)])[0]
        if not origin.date_signed:
            raise ClauseLookupError(f"{clause_id}: its agreement has no date of signature, so "
                                    "there is no 'older' to look for")
        fetch = min(self.index.ntotal, k)
        scored = [(hit.row_id, hit.score) for hit in nearest(self.index, vector, fetch)
                  if hit.row_id != own_row and hit.score >= threshold]
        best: dict[str, Match] = {}
        for match in self._matches(scored):
            if match.agreement_id == origin.agreement_id or not match.date_signed:
                continue
            if match.date_signed >= origin.date_signed:
                continue
            kept = best.get(match.agreement_id)
            if kept is None or match.similarity > kept.similarity:
                best[match.agreement_id] = match
        chain = sorted(best.values(), key=lambda m: (m.date_signed or "", m.agreement_id))
        chain.append(origin)
        self._link(chain)
        return {"clause": origin.as_dict(), "threshold": threshold,
                "chain": [m.as_dict() for m in chain]}

    def _link(self, chain: list[Match]) -> None:
        """Fill each step's similarity with the next one, from the stored vectors."""
        hashes = [self.clause_key(m.clause_id)[1] for m in chain]
        vectors = self.store.get_embeddings(hashes, self.static.model_id)
        for here, a, b in zip(chain, hashes, hashes[1:], strict=False):
            here.to_next = round(float(vectors[a] @ vectors[b]), 4)


def _in_years(date: str | None, year_from: int | None, year_to: int | None) -> bool:
    if year_from is None and year_to is None:
        return True
    if not date or not date[:4].isdigit():
        return False
    year = int(date[:4])
    return (year_from is None or year >= year_from) and (year_to is None or year <= year_to)
