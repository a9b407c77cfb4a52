"""The embedding model is checked and offline; the store caches and the index is real."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np
import pytest

from tests.conftest import SAMPLES
from tradelens import embed
from tradelens.errors import SetupError
from tradelens.index import INDEX_FILE, load_index, search
from tradelens.pipeline import Analyser, analyse_paths


def test_default_model_hash_is_checked(monkeypatch: pytest.MonkeyPatch):
    assert embed.Embedder().sha256 == embed.DEFAULT_MODEL_SHA256
    monkeypatch.setattr(embed, "DEFAULT_MODEL_SHA256", "0" * 64)
    with pytest.raises(SetupError, match="hash mismatch"):
        embed.Embedder()


def test_missing_custom_model_is_a_setup_error(tmp_path: Path):
    with pytest.raises(SetupError, match="not found"):
        embed.Embedder(tmp_path / "no-model")


def test_embeddings_are_unit_vectors_and_similar_texts_are_close():
    embedder = embed.Embedder()
    vectors = embedder.encode([
        "No Party shall require a covered person to locate computing facilities in its territory.",
        "Neither Party shall make the location of servers in its territory a condition of "
        "business.",
        "The customs administrations shall exchange information on origin.",
    ])
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2


def test_second_run_hits_the_cache_and_the_index_finds_clauses(tmp_path: Path):
    sample = SAMPLES / "eastern_regional_partnership.txt"
    analyser = Analyser(tmp_path / "store")
    first = analyse_paths([sample], tmp_path / "out", ["json"], analyser, progress=False)
    encoded_first = analyser.embedder.encoded
    assert encoded_first > 0 and first.from_store == 0
    assert first.indexed == analyser.store.clause_count() == first.clauses
    analyser.close()

    again = Analyser(tmp_path / "store")
    forced = analyse_paths([sample], tmp_path / "out", ["json"], again, force=True,
                           progress=False)
    assert forced.from_store == 0
    assert again.embedder.encoded == 0  # every clause and exemplar vector came from the cache

    index, facts = load_index(tmp_path / "store")
    assert isinstance(index, faiss.Index) and index.ntotal == first.clauses
    assert facts["kind"] == "flat" and facts["model_id"] == again.static.model_id
    query = again.static.encode(["No Party shall have recourse to dispute settlement for "
                                 "any matter arising under this Chapter."])
    hit = search(index, query[0], 1)[0]
    row = again.store.db.execute("SELECT clause_id FROM clauses WHERE id=?",
                                 (hit.row_id,)).fetchone()
    assert row[0] == "eastern_regional_partnership:art12.17:p2"
    assert (tmp_path / "store" / INDEX_FILE).is_file()
    again.close()
