"""The workspace's findings as precedents: which stored agreements a draft is closest to,
and, for a modifier a negotiator considers adding, the closest stored rule that carries it
and the words of the clause that carries it.

Built once from the stored reports (rebuilt after "save to workspace"); the findings'
sentence-model vectors come from the store's embedding cache, where the analysis that
stored them left them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from tradelens.analysis import Pipeline
from tradelens.report.contract import modifier_types
from tradelens.report.display import excerpt
from tradelens.vectors.encoder import embed_with_cache

#: How many agreements a draft is checked against when the user picks none.
DEFAULT_REFERENCES = 3


@dataclass
class StoredFinding:
    agreement_id: str
    clause_id: str
    location: str
    strength: str
    modifiers: dict[str, str]  # modifier type -> the clause id that carries it


class PrecedentIndex:
    """Per category, every stored finding with its vector (one matrix per category)."""

    def __init__(self, reports: list[dict[str, Any]], pipeline: Pipeline) -> None:
        self.findings: dict[str, list[StoredFinding]] = {}
        self.vectors: dict[str, np.ndarray] = {}
        texts: dict[str, list[str]] = {}
        for report in reports:
            agreement_id = report["agreement"]["id"]
            for category, body in report["categories"].items():
                for f in body["findings"]:
                    carriers = {e["type"]: e["clause_id"]
                                for key in ("scope_clauses", "exceptions", "enforceability")
                                for e in f.get(key, [])}
                    for kind in modifier_types(f) - set(carriers):
                        carriers[kind] = f["clause_id"]
                    self.findings.setdefault(category, []).append(StoredFinding(
                        agreement_id, f["clause_id"], f["location"], f["strength"], carriers))
                    texts.setdefault(category, []).append(f["text"])
        for category, mine in texts.items():
            self.vectors[category] = embed_with_cache(mine, pipeline.encoder, pipeline.cache)

    def _similarities(self, category: str, vector: np.ndarray) -> np.ndarray:
        matrix = self.vectors.get(category)
        if matrix is None or not len(matrix) or not vector.any():
            return np.zeros(0, dtype=np.float32)
        return matrix @ vector

    def closest_agreements(self, draft_findings: list[tuple[str, np.ndarray]],
                           exclude: str | None, k: int = DEFAULT_REFERENCES) -> list[str]:
        """The `k` agreements whose findings are closest to the draft's (sum over the
        draft's findings of the best similarity in each agreement, same category)."""
        totals: dict[str, float] = {}
        for category, vector in draft_findings:
            best: dict[str, float] = {}
            for stored, sim in zip(self.findings.get(category, []),
                                   self._similarities(category, vector), strict=False):
                best[stored.agreement_id] = max(best.get(stored.agreement_id, -1.0), float(sim))
            for agreement_id, sim in best.items():
                totals[agreement_id] = totals.get(agreement_id, 0.0) + sim
        if not totals:  # a draft without findings: the agreements with the most rules
            for mine in self.findings.values():
                for stored in mine:
                    totals[stored.agreement_id] = totals.get(stored.agreement_id, 0.0) + 1
        ranked = sorted((a for a in totals if a != exclude), key=lambda a: (-totals[a], a))
        return ranked[:k]

    def with_modifier(self, category: str, vector: np.ndarray,
                      modifier: str) -> tuple[StoredFinding, float] | None:
        """The stored finding of `category` closest to `vector` that carries `modifier`."""
        sims = self._similarities(category, vector)
        best: tuple[StoredFinding, float] | None = None
        for stored, sim in zip(self.findings.get(category, []), sims, strict=False):
            if modifier in stored.modifiers and (best is None or sim > best[1]):
                best = (stored, float(sim))
        return best


def modifier_clause(report: dict[str, Any], modifier: str, clause_id: str) -> dict[str, Any]:
    """The words of the clause that carries `modifier` in a stored report."""
    for hit in report.get("modifiers", []):
        if hit["type"] == modifier and hit["clause_id"] == clause_id:
            return {"location": hit.get("location") or clause_id,
                    "text": hit.get("text") or "", "excerpt": excerpt(hit.get("text") or "")}
    return {"location": clause_id, "text": "", "excerpt": ""}
