"""Similarity search and clause lineage over a workspace (`tradelens search`, `lineage`).

Both read the workspace's FAISS index, whose vectors are the first-pass (static) embedding
of every stored clause: a query is embedded the same way, in microseconds and without
loading the sentence model, so a search answers while a negotiator reads. The static
embedding is strongest on shared wording, which is what template diffusion leaves behind:
`lineage` follows a clause back to the oldest agreements that carry near-identical text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tradelens.compare import excerpt
from tradelens.errors import SetupError, TradeLensError
from tradelens.index import INDEX_FILE, load_index, search
from tradelens.store import Store

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


class Workspace:
    """A workspace opened for reading: store, clause index, and the query embedding."""

    def __init__(self, store_dir: Path, model_path: Path | None = None) -> None:
        from tradelens.embed import Embedder
        from tradelens.static_embed import StaticEmbedder

        if not (Path(store_dir) / INDEX_FILE).is_file():
            raise SetupError(f"{store_dir}: no clause index here; run `tradelens analyse "
                             f"... --store {store_dir}` first")
        self.store = Store(store_dir)
        self.index, self.facts = load_index(Path(store_dir))
        self.static = StaticEmbedder(Embedder(model_path))
        if self.facts.get("model_id") != self.static.model_id:
            raise SetupError(f"{store_dir}: the index was built with {self.facts.get('model_id')}"
                             f", not {self.static.model_id}; pass the same --model")

    def close(self) -> None:
        self.store.close()

    # -- vectors --------------------------------------------------------------------------

    def clause_row(self, clause_id: str) -> tuple[int, str]:
        row = self.store.db.execute("SELECT id, text_hash FROM clauses WHERE clause_id=?",
                                    (clause_id,)).fetchone()
        if row is None:
            raise ClauseLookupError(f"clause '{clause_id}' is not in the workspace "
                                f"{self.store.directory}")
        return int(row[0]), str(row[1])

    def _stored_vector(self, text_hash: str) -> np.ndarray:
        found = self.store.get_embeddings([text_hash], self.static.model_id)
        return found[text_hash]

    def query_vector(self, query: str) -> tuple[np.ndarray, int | None]:
        """A clause id's stored vector (and its row), or the embedding of free text."""
        looks_like_id = " " not in query.strip() and ":" in query
        if looks_like_id:
            row, text_hash = self.clause_row(query.strip())
            return self._stored_vector(text_hash), row
        return self.static.encode([query])[0], None

    # -- rows -> matches ------------------------------------------------------------------

    def _matches(self, scored: list[tuple[int, float]]) -> list[Match]:
        if not scored:
            return []
        marks = ",".join("?" * len(scored))
        rows = {r[0]: r for r in self.store.db.execute(
            "SELECT c.id, c.clause_id, c.agreement_id, a.title, a.date_signed, c.location, "
            f"c.text, a.score FROM clauses c JOIN agreements a USING (agreement_id) "
            f"WHERE c.id IN ({marks})", [row for row, _ in scored])}
        categories: dict[str, list[str]] = {}
        ids = [rows[row][1] for row, _ in scored if row in rows]
        if ids:
            for clause_id, category in self.store.db.execute(
                    f"SELECT clause_id, category FROM findings WHERE clause_id IN "
                    f"({','.join('?' * len(ids))})", ids):
                categories.setdefault(clause_id, []).append(category)
        return [Match(clause_id=rows[row][1], agreement_id=rows[row][2], title=rows[row][3],
                      date_signed=rows[row][4], location=rows[row][5], text=rows[row][6],
                      similarity=round(similarity, 4), score=rows[row][7],
                      categories=sorted(categories.get(rows[row][1], [])))
                for row, similarity in scored if row in rows]

    # -- search ---------------------------------------------------------------------------

    def search(self, query: str, k: int = 10, category: str | None = None,
               year_from: int | None = None, year_to: int | None = None) -> list[Match]:
        """The `k` clauses closest to `query` (text or clause id), filtered."""
        vector, own_row = self.query_vector(query)
        if category:
            scored = self._exact_among_findings(vector, category)
        else:
            fetch = min(self.index.ntotal, k + 1 if year_from is None and year_to is None
                        else k * _OVERFETCH)
            scored = [(hit.row_id, hit.score) for hit in search(self.index, vector, fetch)]
        scored = [(r, s) for r, s in scored if r != own_row]
        matches = self._matches(scored)
        return [m for m in matches if _in_years(m.date_signed, year_from, year_to)][:k]

    def _exact_among_findings(self, vector: np.ndarray, category: str) -> list[tuple[int, float]]:
        """Exact similarity with every clause that is a finding of `category`."""
        rows = self.store.db.execute(
            "SELECT DISTINCT c.id, c.text_hash FROM findings f JOIN clauses c "
            "ON c.clause_id = f.clause_id WHERE f.category=?", (category,)).fetchall()
        if not rows:
            return []
        vectors = self.store.get_embeddings([h for _, h in rows], self.static.model_id)
        known = [(r, vectors[h]) for r, h in rows if h in vectors]
        matrix = np.vstack([v for _, v in known])
        similarity = matrix @ vector
        order = np.argsort(-similarity)
        return [(known[i][0], float(similarity[i])) for i in order]

    # -- lineage --------------------------------------------------------------------------

    def lineage(self, clause_id: str, threshold: float = 0.9, k: int = 200) -> dict[str, Any]:
        """Older clauses with near-identical wording, oldest first, ending at `clause_id`."""
        vector, own_row = self.query_vector(clause_id)
        origin = self._matches([(own_row, 1.0)])[0]  # type: ignore[list-item]
        if not origin.date_signed:
            raise ClauseLookupError(f"{clause_id}: its agreement has no date of signature, so "
                                "there is no 'older' to look for")
        fetch = min(self.index.ntotal, k)
        scored = [(hit.row_id, hit.score) for hit in search(self.index, vector, fetch)
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
        hashes = [self.clause_row(m.clause_id)[1] for m in chain]
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


def render_matches(matches: list[dict[str, Any]]) -> str:
    if not matches:
        return "no match"
    lines = []
    for match in matches:
        tags = f" [{', '.join(match['categories'])}]" if match["categories"] else ""
        score = f", score {match['score']:g}" if match["score"] is not None else ""
        lines += _entry(f"{match['similarity']:.3f}  {match['clause_id']}  "
                        f"({match['date_signed'] or 'undated'}{score}){tags}", match)
    return "\n".join(lines)


def _entry(head: str, match: dict[str, Any], indent: str = "       ") -> list[str]:
    """A heading line, then the agreement and location, then an excerpt of the text."""
    return [head, f"{indent}{match['title'] or match['agreement_id']}: {match['location']}",
            f"{indent}\"{excerpt(match['text'], 160)}\""]


def render_lineage(data: dict[str, Any]) -> str:
    chain = data["chain"]
    if len(chain) == 1:
        return (f"{chain[0]['clause_id']}: no older clause at similarity "
                f">= {data['threshold']:g} in this workspace")
    lines = [f"lineage of {data['clause']['clause_id']} (similarity >= {data['threshold']:g}), "
             "oldest first:"]
    for step in chain:
        link = f"  -> {step['to_next']:.3f} to the next" if step["to_next"] is not None else ""
        lines += _entry(f"{step['date_signed']}  {step['clause_id']}  "
                        f"(similarity {step['similarity']:.3f} to the clause){link}", step)
    return "\n".join(lines)
