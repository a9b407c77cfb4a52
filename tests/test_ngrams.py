"""The topic model's n-gram features without scikit-learn are scikit-learn's, bit for bit,
and so are the probabilities computed from them without SciPy (`classify/ngrams.py`)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer

from tradelens.classify import learned, ngrams
from tradelens.classify.learned import RuleSignals, load_topic_model
from tradelens.classify.ngrams import char_wb_ngrams, hashed_row
from tradelens.text import read_document
from tradelens.text.segment import segment

#: English (TPP), Spanish (TPP), French: real ToTA clauses in the three languages.
TOTA_FILES = ("pta_449", "pta_450", "pta_88")

EDGE_CASES = [
    "",
    "   ",
    "a",
    "I",
    "x y z",
    "Économie numérique: l'accès aux données à caractère personnel",
    "Ninguna Parte exigirá la transferencia de código fuente — ni el acceso — al mismo",
    "İSTANBUL and ǅemal: lowercase that changes length",
    "数据跨境流动 的 规则",
    "Обмен данными между Сторонами",
    "حرية نقل البيانات",
    "emoji 🙂 in a clause 👩‍💻 and combining e\u0301",
    "tabs\tand\nnew\r\nlines\u00a0non-breaking\u2003em space\u3000ideographic",
    "supercalifragilisticexpialidocious" * 3,
    "a " * 5000,
    " ".join(f"word{i} données código" for i in range(4000)),  # very long text
]


def _sklearn_matrix(texts: list[str]):  # noqa: ANN202 - the reference, as trained
    vectorizer = HashingVectorizer(analyzer="char_wb", ngram_range=learned._NGRAMS,
                                   n_features=learned._HASH_FEATURES, alternate_sign=False,
                                   norm="l2", lowercase=True)
    return sparse.csr_matrix(vectorizer.transform([" ".join(t.split()) for t in texts]))


@pytest.fixture(scope="module")
def tota_clauses(tota_dir) -> dict[str, list[str]]:  # noqa: ANN001
    found = {}
    for name in TOTA_FILES:
        document = read_document(tota_dir / f"{name}.xml")
        clauses = [c.text for c in segment(document)]
        rng = np.random.default_rng(19)
        chosen = rng.choice(len(clauses), size=min(400, len(clauses)), replace=False)
        found[document.language or name] = [clauses[i] for i in sorted(chosen)]
    return found


def _assert_same_rows(texts: list[str]) -> None:
    reference = _sklearn_matrix(texts)
    assert reference.has_canonical_format
    for i, text in enumerate(texts):
        row = hashed_row(" ".join(text.split()), learned._NGRAMS, learned._HASH_FEATURES)
        start, end = reference.indptr[i], reference.indptr[i + 1]
        np.testing.assert_array_equal(row.indices, reference.indices[start:end],
                                      err_msg=repr(text[:80]))
        # bit for bit, not approximately
        assert row.values.tobytes() == reference.data[start:end].astype(np.float64).tobytes(), \
            repr(text[:80])


def test_the_three_languages_are_read(tota_clauses):
    assert set(tota_clauses) == {"en", "es", "fr"}
    assert all(len(texts) >= 100 for texts in tota_clauses.values())


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_tota_features_equal_scikit_learn(tota_clauses, lang):
    _assert_same_rows(tota_clauses[lang])


def test_edge_case_features_equal_scikit_learn():
    _assert_same_rows(EDGE_CASES)
    assert hashed_row("", learned._NGRAMS, learned._HASH_FEATURES).indices.size == 0


def test_the_analyzer_is_scikit_learns():
    vectorizer = HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5), lowercase=True)
    analyse = vectorizer.build_analyzer()
    for text in EDGE_CASES[:14]:
        assert char_wb_ngrams(text, (2, 5)) == analyse(text)


def test_a_hash_collision_is_counted_like_scikit_learn():
    """Two n-grams that land on the same index (a collision, found by search) add up."""
    seen: dict[int, str] = {}
    for code in range(0x4E00, 0x4E00 + 5000):  # one-character words: one trigram each
        index = int(hashed_row(chr(code), (3, 3), 1024).indices[0])
        if index in seen:
            text = f"{seen[index]} {chr(code)} a"
            break
        seen[index] = chr(code)
    else:  # pragma: no cover - 1024 buckets collide well before 5000 words
        pytest.fail("no collision found")
    reference = HashingVectorizer(analyzer="char_wb", ngram_range=(3, 3), n_features=1024,
                                  alternate_sign=False, norm="l2").transform([text])
    row = hashed_row(text, (3, 3), 1024)
    assert sorted(reference.data.tolist()) == pytest.approx([1 / 5 ** 0.5, 2 / 5 ** 0.5])
    np.testing.assert_array_equal(row.indices, reference.indices)
    assert row.values.tobytes() == reference.data.tobytes()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_probabilities_equal_the_scipy_path(tota_clauses, monkeypatch, lang):
    """The shipped model's probabilities without SciPy are those of the sparse matrix
    product, bit for bit, with real texts, random vectors and rule signals, for the
    sentence-model head (English) and the scaled multilingual head (Spanish)."""
    model = load_topic_model()
    assert model is not None
    head = model.multilingual if model.reads_multilingual(lang) else model.head
    assert head is not None and (head.scale > 1) == (lang == "es")
    texts = [t for each in ("en", "es", "fr") for t in tota_clauses[each][:150]] + EDGE_CASES
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(len(texts), head.dimension)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors[::5, :10] = 0.0  # zeros are left out of a CSR matrix: they must not matter
    signals = [RuleSignals(bool(rng.integers(2)), bool(rng.integers(2)), bool(rng.integers(2)),
                           float(rng.random()), float(rng.random() * 0.5))
               for _ in texts]
    for category in model.categories:
        fast = model.probabilities(category, texts, vectors, signals, lang)
        row = model.categories.index(category)
        with monkeypatch.context() as off:
            off.setenv("TRADELENS_SPEEDUPS", "off")  # scikit-learn's vectorizer, SciPy
            scaled = vectors * np.float32(head.scale)
            logits = learned.design_matrix(texts, scaled, signals) @ head.weights[row] + \
                head.intercepts[row]
            reference = 1.0 / (1.0 + np.exp(-np.asarray(logits).ravel()))
            assert model.probabilities(category, texts, vectors, signals, lang).tobytes() == \
                reference.tobytes()
        assert fast.dtype == reference.dtype == np.float64
        assert fast.tobytes() == reference.tobytes(), category
    assert 0.0 < fast.min() < fast.max() < 1.0  # the model separates these texts


def test_training_matrix_is_scikit_learns(tota_clauses):
    texts = tota_clauses["es"][:100] + EDGE_CASES
    ours = learned.ngram_features(texts)
    reference = _sklearn_matrix(texts)
    assert (ours != reference).nnz == 0
    assert ours.shape == reference.shape


def test_the_word_table_empties_when_full_and_rows_stay_the_same(tota_clauses, monkeypatch):
    # each word's indices are kept for the next text (ngrams._WORD_INDICES); past the limit
    # the table is emptied, and the rows must not depend on what it held
    texts = tota_clauses["es"][:60]
    monkeypatch.setattr(ngrams, "_WORD_LIMIT", 50)
    monkeypatch.setattr(ngrams, "_WORD_INDICES", {})
    _assert_same_rows(texts)
    held = ngrams._WORD_INDICES[(learned._NGRAMS, learned._HASH_FEATURES)]
    assert 0 < len(held) <= 50 + max(len(t.split()) for t in texts)
