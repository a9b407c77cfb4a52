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
from tradelens.classify.commitment import CommitmentReader
from tradelens.classify.ngrams import HashedRow, hashed_row, sparse_dot
from tradelens.classify.screen import FITTED, ScreenHead

#: Bumped whenever the features change, so an old artefact is refused rather than misread.
FEATURE_VERSION = "1"
ARTEFACT = "topic_model.npz"
#: Name prefix of the first pass's language centres inside the artefact (`centre_es`).
_CENTRE = "centre_"
#: Name prefix of the multilingual head's arrays inside the artefact.
_MULTILINGUAL = "multilingual_"
#: ... and of the learned commitment reader's (`commitment.py`).
_COMMITMENT = "commitment_"
#: Name prefix of the topic screen's arrays (`screen_main_weights`, ...).
_SCREEN = "screen_"
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
class TopicHead:
    """One logistic regression per category over one encoder's vectors."""

    weights: np.ndarray  # (categories, features)
    intercepts: np.ndarray  # (categories,)
    dimension: int
    #: The encoder whose vectors the head was trained on (its `model_id`).
    encoder_id: str
    #: The vectors are multiplied by this before the dot product, as in training, so
    #: that they weigh against the many n-gram features (chosen by cross-validation).
    scale: float = 1.0
    #: float64 weight rows, computed once.
    _memo: dict[str, Any] = field(default_factory=dict, init=False, repr=False,
                                  compare=False)

    def weights64(self, row: int) -> np.ndarray:
        if row not in self._memo:
            self._memo[row] = self.weights[row].astype(np.float64)
        return self._memo[row]


@dataclass
class TopicModel:
    """Per category, a logistic regression: over the sentence model's vectors, and for the
    languages `multilingual` names, over the multilingual encoder's instead."""

    categories: tuple[str, ...]
    head: TopicHead
    sha256: str
    #: language -> centre of its clauses' static vectors, for the first pass by meaning
    #: (`semantic_pass`); empty in an artefact trained without background agreements.
    centres: dict[str, np.ndarray] = field(default_factory=dict)
    multilingual: TopicHead | None = None
    multilingual_languages: tuple[str, ...] = ()
    #: "main" / "multilingual" -> the topic screen of that head (`screen.py`); empty in an
    #: artefact fitted without one.
    screen: dict[str, ScreenHead] = field(default_factory=dict)
    #: The learned commitment reader (`commitment.py`); None in an artefact without one.
    commitment: CommitmentReader | None = None
    #: the last texts' n-gram rows, computed once.
    _memo: dict[str, Any] = field(default_factory=dict, init=False, repr=False,
                                  compare=False)

    @property
    def encoder_id(self) -> str:
        """The sentence encoder the main head was trained on."""
        return self.head.encoder_id

    @property
    def dimension(self) -> int:
        return self.head.dimension

    def reads_multilingual(self, lang: str | None) -> bool:
        """Whether clauses in `lang` are decided on the multilingual encoder's vectors."""
        return self.multilingual is not None and lang in self.multilingual_languages

    def head_name(self, lang: str | None) -> str:
        """"multilingual" when clauses in `lang` are decided on that head, else "main"."""
        return "multilingual" if self.reads_multilingual(lang) else "main"

    def known_logits(self, texts: list[str], cues: np.ndarray, lang: str | None,
                     ) -> np.ndarray:
        """(texts, categories): the part of each logit known before any encoder runs
        (n-grams, the cue, negative-cue and first-pass signals, intercept). `cues`:
        (texts, categories, 3) booleans in RuleSignals' order (`screen.py` says why)."""
        head = self.multilingual if self.reads_multilingual(lang) else self.head
        assert head is not None
        rows = hashed_rows(texts)
        out = np.zeros((len(texts), len(self.categories)))
        rules = _HASH_FEATURES + head.dimension
        for column in range(len(self.categories)):
            weights = head.weights64(column)
            out[:, column] = [float(np.dot(weights[r.indices], r.values)) for r in rows]
            out[:, column] += np.asarray(cues[:, column, :], dtype=np.float64) @ \
                weights[rules:rules + 3] + float(head.intercepts[column])
        return out

    def probabilities(self, category: str, texts: list[str], vectors: np.ndarray,
                      signals: list[RuleSignals], lang: str | None = None) -> np.ndarray:
        """P(the clause is about `category`) for each clause. `vectors` are the
        multilingual encoder's when `reads_multilingual(lang)`, else the sentence
        model's."""
        head = self.multilingual if self.reads_multilingual(lang) else self.head
        assert head is not None
        if vectors.shape[1] != head.dimension:
            raise ValueError(f"the topic model expects {head.dimension}-dimensional vectors, "
                             f"got {vectors.shape[1]}: retrain it for this encoder")
        row = self.categories.index(category)
        vectors = vectors * np.float32(head.scale) if head.scale != 1.0 else vectors
        if not speedups.enabled():
            logits = design_matrix(texts, vectors, signals) @ head.weights[row] + \
                head.intercepts[row]
            return 1.0 / (1.0 + np.exp(-np.asarray(logits).ravel()))
        # Without SciPy or scikit-learn: the same features and the same float64 sums.
        weights = head.weights64(row)
        dense = _dense(vectors, signals)
        dots = np.fromiter((sparse_dot(r, d, weights, _HASH_FEATURES)
                            for r, d in zip(self._rows(texts), dense, strict=True)),
                           dtype=np.float64, count=len(texts))
        logits = dots + head.intercepts[row]
        return 1.0 / (1.0 + np.exp(-logits))

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
        multilingual = None
        if f"{_MULTILINGUAL}weights" in data.files:
            multilingual = _head(data, _MULTILINGUAL)
        return TopicModel(
            tuple(str(c) for c in data["categories"]), _head(data, ""),
            hashlib.sha256(raw).hexdigest(),
            {name.removeprefix(_CENTRE): np.asarray(data[name], dtype=np.float32)
             for name in data.files if name.startswith(_CENTRE)},
            multilingual,
            tuple(str(lang) for lang in data[f"{_MULTILINGUAL}languages"])
            if multilingual is not None else (),
            _screen(data, multilingual), _commitment(data))


def _commitment(data: Any) -> CommitmentReader | None:
    if f"{_COMMITMENT}commit" not in data.files:
        return None
    return CommitmentReader(
        tuple(str(c) for c in data[f"{_COMMITMENT}categories"]),
        np.asarray(data[f"{_COMMITMENT}commit"], dtype=np.float64),
        np.asarray(data[f"{_COMMITMENT}hard"], dtype=np.float64),
        str(data[f"{_COMMITMENT}encoder_id"]))


def _screen(data: Any, multilingual: TopicHead | None) -> dict[str, ScreenHead]:
    """The fitted screen heads the artefact holds, and the exact one of the multilingual
    head, derived from its weights (it needs no fitting: `screen.py`)."""
    screen = {name: ScreenHead(np.asarray(data[f"{_SCREEN}{name}_weights"], dtype=np.float64),
                               np.asarray(data[f"{_SCREEN}{name}_margin"], dtype=np.float64),
                               str(data[f"{_SCREEN}{name}_reads"]))
              for name in FITTED if f"{_SCREEN}{name}_weights" in data.files}
    expected = _HASH_FEATURES + (multilingual.dimension if multilingual else 0) + \
        len(_RULE_FEATURES)
    if multilingual is not None and multilingual.weights.shape[1] == expected:
        screen["multilingual"] = exact_screen(multilingual)  # a head of the known layout
    return screen


#: Added to the exact bound: the head's float32 vectors against the screen's float64 sums.
_ROUNDING = 1e-4


def exact_screen(head: TopicHead) -> ScreenHead:
    """A screen for a head whose own encoder's vector is computed first: that term exactly
    (the head's scaled weights), and per category, as margin, the most the exemplar
    similarities can add. Each similarity is the best cosine among the category's
    neighbours, or 0 without one (`Classifier._similarities`), so lies in [0, 1]. Exact on
    the n-gram path the speed-ups use, which is why the screen follows their switch."""
    start = _HASH_FEATURES
    rules = start + head.dimension
    weights = np.zeros((len(head.intercepts), head.dimension + 1))
    margin = np.zeros(len(head.intercepts))
    for row in range(len(head.intercepts)):
        w = head.weights64(row)
        weights[row, :-1] = w[start:rules] * head.scale
        positive, negative, difference = w[rules + 3:rules + 6]
        # positive * p + negative * n + difference * (p - n), p and n in [0, 1]
        margin[row] = max(positive + difference, 0.0) + max(negative - difference, 0.0)
    return ScreenHead(weights, margin + _ROUNDING, "multilingual")


def _head(data: Any, prefix: str) -> TopicHead:
    scale = f"{prefix}scale"
    return TopicHead(np.asarray(data[f"{prefix}weights"], dtype=np.float32),
                     np.asarray(data[f"{prefix}intercepts"], dtype=np.float32),
                     int(data[f"{prefix}dimension"]), str(data[f"{prefix}encoder_id"]),
                     float(data[scale]) if scale in data.files else 1.0)


def save_topic_model(path: Path, categories: list[str], head: TopicHead, card: dict,
                     centres: dict[str, np.ndarray] | None = None,
                     multilingual: TopicHead | None = None,
                     multilingual_languages: tuple[str, ...] = (),
                     screen: dict[str, ScreenHead] | None = None,
                     commitment: CommitmentReader | None = None) -> str:
    """Write the artefact and its card atomically; returns the artefact's SHA-256."""
    import io

    from tradelens.fileio import write_atomically

    arrays = {"categories": np.asarray(categories),
              "feature_version": np.asarray(FEATURE_VERSION), **_head_arrays(head, "")}
    arrays.update({f"{_CENTRE}{lang}": np.asarray(centre, dtype=np.float32)
                   for lang, centre in sorted((centres or {}).items())})
    if multilingual is not None:
        arrays.update(_head_arrays(multilingual, _MULTILINGUAL))
        arrays[f"{_MULTILINGUAL}languages"] = np.asarray(multilingual_languages)
    for name, part in sorted((screen or {}).items()):
        if name not in FITTED:
            continue  # derived from the weights when loaded
        arrays[f"{_SCREEN}{name}_weights"] = np.asarray(part.weights, dtype=np.float64)
        arrays[f"{_SCREEN}{name}_margin"] = np.asarray(part.margin)
        arrays[f"{_SCREEN}{name}_reads"] = np.asarray(part.reads)
    if commitment is not None:
        arrays.update({f"{_COMMITMENT}categories": np.asarray(commitment.categories),
                       f"{_COMMITMENT}commit": np.asarray(commitment.commit, dtype=np.float64),
                       f"{_COMMITMENT}hard": np.asarray(commitment.hard, dtype=np.float64),
                       f"{_COMMITMENT}encoder_id": np.asarray(commitment.encoder_id)})
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    data = buffer.getvalue()
    write_atomically(path, data)
    sha = hashlib.sha256(data).hexdigest()
    write_atomically(path.with_name(CARD), json.dumps({**card, "sha256": sha}, indent=2,
                                                      ensure_ascii=False) + "\n")
    return sha


def _head_arrays(head: TopicHead, prefix: str) -> dict[str, np.ndarray]:
    arrays = {f"{prefix}weights": head.weights.astype(np.float32),
              f"{prefix}intercepts": head.intercepts.astype(np.float32),
              f"{prefix}dimension": np.asarray(head.dimension),
              f"{prefix}encoder_id": np.asarray(head.encoder_id)}
    if head.scale != 1.0:  # the main head's arrays stay as they were before scales
        arrays[f"{prefix}scale"] = np.asarray(head.scale)
    return arrays
