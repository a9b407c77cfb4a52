"""The static first pass's word-by-word tokenizing gives exactly the tokenizer's ids."""

from __future__ import annotations

import random

import numpy as np
import pytest
from tokenizers import Tokenizer, models, pre_tokenizers

from tradelens.vectors import word_ids
from tradelens.vectors.sentence import default_model_path
from tradelens.vectors.word_ids import WordIds

#: Strings where a piecewise reading could go wrong: control characters and other white
#: space, marks after a space, CJK, case that lowers to two letters, long words, runs of
#: spaces, punctuation glued to words.
HOSTILE = [
    "", " ", "   ", "a  b", " leading and trailing ",
    "tab\tinside\nnewline\r\nand\x0bvertical\x0cfeed",
    "control\x00char\x1cfile\x1dgroup\x1erecord\x1funit\x85next",
    "no\u00a0break\u2003em\u2009thin\u3000ideographic\u200bzero-width",
    "a \u0301b mark after a space, e\u0301 decomposed, caf\u00e9 composed",
    "\u4e2d\u6587\u5b57 mixed\u4e2dwith\u6587Latin \u3042\u3044",
    "ΣΟΦΟΣ λόγος ΟΔΟΣ; İstanbul ıi ſ \u212a \u212b ß ﬁ ligature",
    "x" * 150 + " " + "supercalifragilistic" * 6 + "y",
    "Article 14.13(2)(b)—cross-border, “free flow”; data-localisation…",
    "\U0001F600 emoji \U0001F1EA\U0001F1FA flags \ufffd replacement \ufeffbom",
    "La Parte no exigirá la ubicación de instalaciones informáticas en su territorio.",
    "Chaque Partie autorise le transfert transfrontières de données à caractère personnel.",
]


@pytest.fixture(scope="module")
def minilm() -> Tokenizer:
    tokenizer = Tokenizer.from_file(str(default_model_path() / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


def _plain(tokenizer: Tokenizer, texts: list[str]) -> list[list[int]]:
    return [e.ids for e in tokenizer.encode_batch(texts, add_special_tokens=False)]


def _random_texts(count: int, seed: int) -> list[str]:
    """Seeded strings over an alphabet rich in spaces, marks, controls and scripts."""
    alphabet = ("abcdeéèßİıΣσςABC中文あ\u0301\u0308 \t\n\x00\x1c\x85\u00a0\u2003.,;:-()"
                "0123\ufffd\U0001F600")
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
            for _ in range(count)]


def test_hostile_and_random_strings_get_the_tokenizers_ids(minilm: Tokenizer):
    reader = WordIds(minilm)
    assert reader.piecewise
    texts = HOSTILE + _random_texts(3000, seed=7)
    assert reader(texts) == _plain(minilm, texts)
    # read again, now from the remembered pieces
    assert reader(texts[::-1]) == _plain(minilm, texts[::-1])
    assert len(reader.pieces) > 100


def test_the_table_of_pieces_is_bounded(minilm: Tokenizer, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(word_ids, "MAX_PIECES", 50)
    reader = WordIds(minilm)
    for seed in range(5):
        texts = _random_texts(20, seed)
        assert reader(texts) == _plain(minilm, texts)
        assert len(reader.pieces) <= 50 or len({p for t in texts for p in t.split(" ")}) > 50


def test_another_kind_of_tokenizer_is_run_as_it_is():
    """A tokenizer that keeps spaces inside its tokens (SentencePiece style) must not be
    read piecewise: there a space is part of the next word's piece."""
    vocab = {"[UNK]": 0, "▁the": 1, "▁party": 2, "▁": 3, "the": 4, "party": 5}
    tokenizer = Tokenizer(models.WordPiece(vocab, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace()
    reader = WordIds(tokenizer)
    assert not reader.piecewise
    texts = ["the party", " the  party "]
    assert reader(texts) == _plain(tokenizer, texts)
    truncated = Tokenizer.from_file(str(default_model_path() / "tokenizer.json"))
    truncated.enable_truncation(8)
    assert not WordIds(truncated).piecewise


def test_static_vectors_equal_those_from_the_whole_texts(minilm: Tokenizer):
    """The first pass's vectors, computed through the pieces, equal the ones computed from
    the tokenizer's reading of each whole text, bit for bit."""
    from tradelens.analysis import Pipeline

    static = Pipeline().static
    texts = HOSTILE + _random_texts(200, seed=11) + [
        "Each Party shall allow the cross-border transfer of information by electronic "
        "means, including personal information, when this activity is for the conduct "
        "of the business of a covered person."]
    table, weights = static.table, static.weights
    expected = np.zeros((len(texts), table.shape[1]), dtype=np.float32)
    for row, ids in enumerate(_plain(minilm, texts)):
        if ids:
            w = weights[ids]
            expected[row] = w @ table[ids] / w.sum()
    expected /= np.linalg.norm(expected, axis=1, keepdims=True) + 1e-9
    assert np.array_equal(static.encode(texts), expected)


def test_the_speed_ups_switch_reads_whole_texts(minilm: Tokenizer,
                                                 monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TRADELENS_SPEEDUPS", "off")
    reader = WordIds(minilm)
    assert not reader.piecewise
    assert reader(HOSTILE) == _plain(minilm, HOSTILE)
    assert reader.pieces == {}
