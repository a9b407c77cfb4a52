"""The team's exemplar clauses as an exact nearest-neighbour index, per language.

Exemplars confirm a topic cue, overrule it when a hard negative is closer, and catch
paraphrases no cue anticipated; `cross_lingual_exemplars` puts every language in one index.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from tradelens.taxonomy import Exemplar
from tradelens.vectors.faiss_index import exact_index, top_k


class ExemplarIndex:
    """Exact inner-product search over exemplar vectors, one index per language or one shared."""

    def __init__(self, exemplars: list[Exemplar], vectors: np.ndarray, by_language: bool) -> None:
        groups: dict[str | None, list[int]] = {}
        for i, exemplar in enumerate(exemplars):
            groups.setdefault(exemplar.lang if by_language else None, []).append(i)
        self.by_language = by_language
        self._groups: dict[str | None, tuple[Any, np.ndarray]] = {}
        for key, members in groups.items():
            self._groups[key] = (exact_index(vectors[members]), np.asarray(members))

    def nearest(self, vectors: np.ndarray, lang: str, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(similarities, exemplar numbers) of each row's `k` nearest exemplars in `lang`
        (English, or any, where the language has none)."""
        key = lang if self.by_language else None
        if key not in self._groups:
            key = "en" if "en" in self._groups else next(iter(self._groups))
        index, members = self._groups[key]
        scores, local = top_k(index, vectors, k)
        return scores, np.where(local >= 0, members[np.maximum(local, 0)], -1)
