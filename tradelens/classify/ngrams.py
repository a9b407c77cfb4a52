"""Hashed character n-grams, the topic model's text features, without scikit-learn.

The topic model (`learned.py`) was trained on scikit-learn's
`HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5), n_features=2**18,
alternate_sign=False, norm="l2", lowercase=True)`. Importing scikit-learn costs seconds
(it pulls in SciPy's statistics and pandas) and a small draft needs the features of a few
clauses, so the same features are computed here: the same lowercasing, white-space folding
and padded within-word n-grams, the same MurmurHash3 (x86, 32-bit, seed 0, signed; the
`mmh3` package), the same `abs(hash) % n_features` index, counts summed per index and
divided by the row's L2 norm. `tests/test_ngrams.py` checks the result against
scikit-learn's own vectorizer, bit for bit, on ToTA clauses in three languages and on edge
cases.

`sparse_dot` then takes the place of SciPy's CSR matrix-vector product for one row, adding
the terms in the same order (ascending n-gram index, then the dense columns), so that the
topic model's probabilities, and so the findings, are bit for bit those of the SciPy path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import mmh3
import numpy as np

_WHITE_SPACES = re.compile(r"\s\s+")


@dataclass(frozen=True)
class HashedRow:
    """One text's n-gram features: ascending indices, their L2-normalised weights."""

    indices: np.ndarray  # int64
    values: np.ndarray  # float64


def char_wb_ngrams(text: str, ngram_range: tuple[int, int]) -> list[str]:
    """scikit-learn's `char_wb` analyzer with `lowercase=True` and no accent stripping."""
    grams: list[str] = []
    for word in _words(text):
        grams += _word_grams(word, ngram_range)
    return grams


def _words(text: str) -> list[str]:
    """The lowercased words `char_wb` cuts n-grams from."""
    return _WHITE_SPACES.sub(" ", text.lower()).split()


def _word_grams(word: str, ngram_range: tuple[int, int]) -> list[str]:
    """The padded n-grams of one lowercased word, as `char_wb` cuts them."""
    min_n, max_n = ngram_range
    grams: list[str] = []
    append = grams.append
    word = f" {word} "
    length = len(word)
    for n in range(min_n, max_n + 1):
        offset = 0
        append(word[offset:offset + n])
        while offset + n < length:
            offset += 1
            append(word[offset:offset + n])
        if offset == 0:  # a short word (shorter than n) counts once
            break
    return grams


#: (n-gram range, features) -> word -> its n-grams' feature indices. Legal text repeats its
#: words, so each is cut and hashed once; the table is emptied when a text finds it past
#: the limit. Full, it holds about 17 MB (100,000 words took 34 MB).
_WORD_INDICES: dict[tuple[tuple[int, int], int], dict[str, np.ndarray]] = {}
_WORD_LIMIT = 50_000


def _indices(words: list[str], ngram_range: tuple[int, int], n_features: int) -> np.ndarray:
    known = _WORD_INDICES.setdefault((ngram_range, n_features), {})
    if len(known) > _WORD_LIMIT:
        known.clear()
    parts = []
    for word in words:
        found = known.get(word)
        if found is None:
            grams = _word_grams(word, ngram_range)
            # mmh3.hash is MurmurHash3_x86_32 of the UTF-8 bytes, signed, like
            # scikit-learn's; abs() in 64 bits: for -2**31 this is 2**31 % n, scikit-learn's
            # special case too
            hashes = np.fromiter(map(mmh3.hash, grams), dtype=np.int64, count=len(grams))
            found = known[word] = (np.abs(hashes) % n_features).astype(np.int32)
        parts.append(found)
    return np.concatenate(parts)


def hashed_row(text: str, ngram_range: tuple[int, int], n_features: int) -> HashedRow:
    """The L2-normalised hashed n-gram counts of one text."""
    words = _words(text)
    if not words:
        return HashedRow(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))
    indices, counts = np.unique(_indices(words, ngram_range, n_features), return_counts=True)
    values = counts.astype(np.float64)
    norm = np.sqrt(np.sum(values * values))  # sums of squared integer counts are exact
    if norm != 0.0:
        values /= norm
    return HashedRow(indices.astype(np.int64), values)


def sparse_dot(row: HashedRow, dense: np.ndarray, w: np.ndarray, offset: int) -> float:
    """row . w[:offset] + dense . w[offset:] with `w` in float64 (`dense` is float32), each
    product added in turn as SciPy's CSR product does (ascending n-gram index, then the
    dense columns that are not zero), so the result is bit for bit SciPy's."""
    dense = np.asarray(dense, dtype=np.float32).astype(np.float64)
    nonzero = np.flatnonzero(dense)
    terms = np.concatenate([row.values * w[row.indices],
                            dense[nonzero] * w[offset + nonzero]])
    if not len(terms):
        return 0.0
    return float(np.cumsum(terms)[-1])  # a running sum: the order of a sequential loop
