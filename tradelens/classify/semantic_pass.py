"""The first pass by meaning: is a clause's static vector close to a positive exemplar?

The static vectors are averages of an English model's token vectors. In Spanish and French
every clause shares a large component that says only "this is Spanish" (the subword
pieces of the language itself): the raw cosine of almost any Spanish clause to a Spanish
exemplar is 0.85 to 0.9, so one raw threshold either keeps nearly every clause (all of
them then pay for the sentence model) or none. Subtracting each language's centre, the
mean static vector of thousands of agreement clauses in that language, removes that
component; what remains is what the clause is about, and one threshold works in all three
languages. The centres are computed by `tradelens train` from unlabelled agreements and
ship inside the topic-model artefact, so their hash is in every report's provenance.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-9)


def language_centre(vectors: np.ndarray) -> np.ndarray:
    """The mean direction of a language's clauses (vectors normalised first, so that long
    clauses do not weigh more than short ones)."""
    if not len(vectors):
        raise ValueError("a language centre needs at least one clause")
    return _unit(np.asarray(vectors, dtype=np.float32)).mean(axis=0).astype(np.float32)


def centred_exemplars(exemplars: np.ndarray, languages: Sequence[str],
                      centres: Mapping[str, np.ndarray]) -> np.ndarray:
    """Each exemplar's vector less its own language's centre, normalised; an exemplar in a
    language without a centre is kept as it is."""
    rows = np.asarray(exemplars, dtype=np.float32).copy()
    for n, lang in enumerate(languages):
        if lang in centres:
            rows[n] = _unit(rows[n:n + 1])[0] - centres[lang]
    return _unit(rows)


def best_similarity(vectors: np.ndarray, exemplars: np.ndarray,
                    centre: np.ndarray | None = None) -> np.ndarray:
    """Each clause's cosine to its closest exemplar; with a centre, the clause is centred
    first (and `exemplars` must come from `centred_exemplars`)."""
    rows = _unit(np.asarray(vectors, dtype=np.float32))
    if centre is not None:
        rows = _unit(rows - centre)
    if not len(rows) or not len(exemplars):
        return np.zeros(len(rows), dtype=np.float32)
    return (rows @ _unit(np.asarray(exemplars, dtype=np.float32)).T).max(axis=1)
