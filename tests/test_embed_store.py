"""The embedding model is checked and offline; the store caches and the index is real."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np
import pytest

from tests.conftest import SAMPLES
from tradelens.errors import SetupError
from tradelens.session import Session
from tradelens.vectors import sentence
from tradelens.workspace.index import INDEX_FILE, load_index, nearest


def test_default_model_hash_is_checked(monkeypatch: pytest.MonkeyPatch):
    assert sentence.SentenceEncoder().sha256 == sentence.DEFAULT_MODEL_SHA256
    monkeypatch.setattr(sentence, "DEFAULT_MODEL_SHA256", "0" * 64)
    with pytest.raises(SetupError, match="hash mismatch"):
        sentence.SentenceEncoder()


def test_missing_custom_model_is_a_setup_error(tmp_path: Path):
    with pytest.raises(SetupError, match="not found"):
        sentence.SentenceEncoder(tmp_path / "no-model")


def test_embeddings_are_unit_vectors_and_similar_texts_are_close():
    embedder = sentence.SentenceEncoder()
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
    session = Session(tmp_path / "store")
    first = session.analyse_paths([sample], tmp_path / "out", ["json"], progress=False)
    encoded_first = session.pipeline.encoder.encoded
    assert encoded_first > 0 and first.from_store == 0
    assert first.indexed == session.store.clause_count() == first.clauses
    session.close()

    again = Session(tmp_path / "store")
    forced = again.analyse_paths([sample], tmp_path / "out", ["json"], force=True,
                                 progress=False)
    assert forced.from_store == 0
    # every clause and exemplar vector came from the cache
    assert again.pipeline.encoder.encoded == 0

    index, facts = load_index(tmp_path / "store")
    assert isinstance(index, faiss.Index) and index.ntotal == first.clauses
    assert facts["kind"] == "flat" and facts["model_id"] == again.pipeline.static.model_id
    query = again.pipeline.static.encode(["No Party shall have recourse to dispute settlement for "
                                 "any matter arising under this Chapter."])
    hit = nearest(index, query[0], 1)[0]
    row = again.store.clause_rows([hit.row_id])[hit.row_id]
    assert row["clause_id"] == "eastern_regional_partnership:art12.17:p2"
    assert (tmp_path / "store" / INDEX_FILE).is_file()
    again.close()


def _page_size(store) -> int:  # noqa: ANN001 - a Store
    return int(store.db.execute("PRAGMA page_size").fetchone()[0])


def test_a_new_store_keeps_a_vector_row_in_its_page_and_an_old_one_still_works(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A new workspace gets 16 KiB pages, so an embedding row needs no overflow page; a
    workspace an earlier version made (4 KiB pages, WAL) opens and takes vectors as
    before. Either way the log is checkpointed at about 4 MB."""
    from tradelens.workspace import store as store_module
    from tradelens.workspace.store import PAGE_SIZE, Store

    def pragma(store: Store, name: str) -> int:
        return int(store.db.execute(f"PRAGMA {name}").fetchone()[0])

    vectors = {f"{n:064x}": np.full(384, n / 400, dtype=np.float32) for n in range(300)}
    new = Store(tmp_path / "new")
    assert pragma(new, "page_size") == PAGE_SIZE == 16_384
    assert pragma(new, "wal_autocheckpoint") == 250
    new.put_embeddings(vectors, "model")
    overflow = new.db.execute("SELECT count(*) FROM dbstat WHERE name = 'embeddings' "
                              "AND pagetype = 'overflow'").fetchone()[0]
    assert overflow == 0
    new.close()

    with monkeypatch.context() as patch:  # the store as 0.10.3 made it
        patch.setattr(store_module, "PAGE_SIZE", 4096)
        Store(tmp_path / "old").close()
    old = Store(tmp_path / "old")
    assert pragma(old, "page_size") == 4096
    assert old.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert pragma(old, "wal_autocheckpoint") == 1000
    old.put_embeddings(vectors, "model")
    found = old.get_embeddings(list(vectors), "model")
    assert all(np.array_equal(found[h], v) for h, v in vectors.items())
    assert old.integrity_problems() == []
    old.close()
