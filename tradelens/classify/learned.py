"""The learned topic decision: is this clause about a category at all?

Topic cues and exemplar thresholds written by hand miss what their authors did not foresee
(paraphrases, Spanish and French sectoral models, new drafting styles). This model makes
that one decision from what the team labelled, and the rules stay where they are strong:
modality gives the strength, the taxonomy's cues give the modifiers, and every finding
still shows the cue, the wording and the exemplars that back it.

Per category, a logistic regression over

* character n-grams of the clause (hashed, so no vocabulary is stored; language-agnostic,
  so Spanish and French morphology is read as well as English),
* the clause's sentence-model vector,
* a few rule signals: the category's topic cue, a negative cue, the first-pass words, and
  the closest positive and hard-negative exemplars.

The trained weights are plain arrays in an `.npz` file beside this module (no pickle: the
artefact is data, loaded with `allow_pickle=False`), with a JSON card naming the training
sets, their sizes and the measured figures; the file's SHA-256 goes into every report's
provenance. `tradelens train` writes it; nothing is trained at run time.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from tradelens import speedups
from tradelens.classify.ngrams import HashedRow, hashed_row, sparse_dot

#: Bumped whenever the features change, so an old artefact is refused rather than misread.
FEATURE_VERSION = "1"
ARTEFACT = "topic_model.npz"
#: Name prefix of the first pass's language centres inside the artefact (`centre_es`).
_CENTRE = "centre_"
CARD = "topic_model.json"
_NGRAMS = (2, 5)
_HASH_FEATURES = 2 ** 18
_RULE_FEATURES = ("cue", "negative_cue", "first_pass", "positive_similarity",
                  "negative_similarity", "margin")


@dataclass(frozen=True)
class RuleSignals:
    """What the hand-written rules say about one clause and one category."""

    cue: bool
    negative_cue: bool
    first_pass: bool
    positive_similarity: float
    negative_similarity: float

    def row(self) -> list[float]:
        return [float(self.cue), float(self.negative_cue), float(self.first_pass),
                self.positive_similarity, self.negative_similarity,
                self.positive_similarity - self.negative_similarity]


@cache
def _hasher():  # noqa: ANN202 - a scikit-learn HashingVectorizer, built once
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(analyzer="char_wb", ngram_range=_NGRAMS,
                             n_features=_HASH_FEATURES, alternate_sign=False, norm="l2",
                             lowercase=True)


def _clean(text: str) -> str:
    return " ".join(text.split())


def hashed_rows(texts: list[str]) -> list[HashedRow]:
    """The n-gram features of each text, computed without scikit-learn (`ngrams.py`)."""
    return [hashed_row(_clean(t), _NGRAMS, _HASH_FEATURES) for t in texts]


def ngram_features(texts: list[str]):  # noqa: ANN201 - a scipy sparse matrix
    """The n-gram features as a CSR matrix (training): scikit-learn's HashingVectorizer
    with the speed-ups off, else the same features from `hashed_rows`."""
    if not speedups.enabled():
        return _hasher().transform([_clean(t) for t in texts])
    from scipy import sparse

    rows = hashed_rows(texts)
    indptr = np.cumsum([0] + [len(r.indices) for r in rows])
    data = np.concatenate([r.values for r in rows]) if rows else np.zeros(0)
    indices = np.concatenate([r.indices for r in rows]) if rows else np.zeros(0, np.int64)
    return sparse.csr_matrix((data, indices.astype(np.int32), indptr.astype(np.int32)),
                             shape=(len(texts), _HASH_FEATURES))


def design_matrix(texts: list[str], vectors: np.ndarray, signals: list[RuleSignals]):  # noqa: ANN201
    """One row per clause: n-grams, sentence vector, rule signals (sparse CSR)."""
    from scipy import sparse

    dense = _dense(vectors, signals)
    return sparse.hstack([ngram_features(texts), sparse.csr_matrix(dense)], format="csr")


def _dense(vectors: np.ndarray, signals: list[RuleSignals]) -> np.ndarray:
    return np.hstack([np.asarray(vectors, dtype=np.float32),
                      np.asarray([s.row() for s in signals], dtype=np.float32)])


@dataclass
class TopicModel:
    """Per category: the weights of a logistic regression and its intercept."""

    categories: tuple[str, ...]
    weights: np.ndarray  # (categories, features)
    intercepts: np.ndarray  # (categories,)
    dimension: int
    #: The encoder whose vectors the model was trained on (`SentenceEncoder.model_id`).
    encoder_id: str
    sha256: str
    #: language -> centre of its clauses' static vectors, for the first pass by meaning
    #: (`semantic_pass`); empty in an artefact trained without background agreements.
    centres: dict[str, np.ndarray] = field(default_factory=dict)
    #: float64 weight rows and the last texts' n-gram rows, computed once.
    _memo: dict[str, Any] = field(default_factory=dict, init=False, repr=False,
                                  compare=False)

    def probabilities(self, category: str, texts: list[str], vectors: np.ndarray,
                      signals: list[RuleSignals]) -> np.ndarray:
        """P(the clause is about `category`) for each clause."""
        if vectors.shape[1] != self.dimension:
            raise ValueError(f"the topic model expects {self.dimension}-dimensional vectors, "
                             f"got {vectors.shape[1]}: retrain it for this encoder")
        row = self.categories.index(category)
        if not speedups.enabled():
            logits = design_matrix(texts, vectors, signals) @ self.weights[row] + \
                self.intercepts[row]
            return 1.0 / (1.0 + np.exp(-np.asarray(logits).ravel()))
        # Without SciPy or scikit-learn: the same features and the same float64 sums.
        weights = self._weights64(row)
        dense = _dense(vectors, signals)
        dots = np.fromiter((sparse_dot(r, d, weights, _HASH_FEATURES)
                            for r, d in zip(self._rows(texts), dense, strict=True)),
                           dtype=np.float64, count=len(texts))
        logits = dots + self.intercepts[row]
        return 1.0 / (1.0 + np.exp(-logits))

    def _weights64(self, row: int) -> np.ndarray:
        key = f"weights{row}"
        if key not in self._memo:
            self._memo[key] = self.weights[row].astype(np.float64)
        return self._memo[key]

    def _rows(self, texts: list[str]) -> list[HashedRow]:
        """The texts' n-gram rows; the last texts' are kept, since every category of one
        agreement reads the same texts."""
        key = tuple(texts)
        last = self._memo.get("rows")  # one (texts, rows) pair: safe across threads
        if last is None or last[0] != key:
            last = (key, hashed_rows(texts))
            self._memo["rows"] = last
        return last[1]


def artefact_path() -> Path:
    return Path(str(resources.files("tradelens.classify").joinpath(ARTEFACT)))


def load_topic_model(path: Path | None = None) -> TopicModel | None:
    """The shipped (or given) model, or None when there is none."""
    path = path or artefact_path()
    if not path.is_file():
        return None
    raw = path.read_bytes()
    with np.load(path, allow_pickle=False) as data:
        if str(data["feature_version"]) != FEATURE_VERSION:
            return None
        return TopicModel(tuple(str(c) for c in data["categories"]),
                          np.asarray(data["weights"], dtype=np.float32),
                          np.asarray(data["intercepts"], dtype=np.float32),
                          int(data["dimension"]), str(data["encoder_id"]),
                          hashlib.sha256(raw).hexdigest(),
                          {name.removeprefix(_CENTRE): np.asarray(data[name], dtype=np.float32)
                           for name in data.files if name.startswith(_CENTRE)})


def save_topic_model(path: Path, categories: list[str], weights: np.ndarray,
                     intercepts: np.ndarray, dimension: int, encoder_id: str,
                     card: dict, centres: dict[str, np.ndarray] | None = None) -> str:
    """Write the artefact and its card atomically; returns the artefact's SHA-256."""
    import io

    from tradelens.fileio import write_atomically

    buffer = io.BytesIO()
    np.savez_compressed(buffer, categories=np.asarray(categories),
                        weights=weights.astype(np.float32),
                        intercepts=intercepts.astype(np.float32),
                        dimension=np.asarray(dimension),
                        encoder_id=np.asarray(encoder_id),
                        feature_version=np.asarray(FEATURE_VERSION),
                        **{f"{_CENTRE}{lang}": np.asarray(centre, dtype=np.float32)
                           for lang, centre in sorted((centres or {}).items())})
    data = buffer.getvalue()
    write_atomically(path, data)
    sha = hashlib.sha256(data).hexdigest()
    write_atomically(path.with_name(CARD), json.dumps({**card, "sha256": sha}, indent=2,
                                                      ensure_ascii=False) + "\n")
    return sha
