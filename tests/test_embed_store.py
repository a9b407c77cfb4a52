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


#: The embedding cache as workspaces made before 0.13.3 hold it.
_KEYED_CACHE = """
CREATE TABLE embeddings (text_hash TEXT NOT NULL, model_id TEXT NOT NULL,
    vector BLOB NOT NULL, PRIMARY KEY (text_hash, model_id)) WITHOUT ROWID
"""


def _cache_writes(store, batches: list[dict[str, np.ndarray]]) -> int:  # noqa: ANN001
    """Pages the write-ahead log received for `batches`, one transaction each (the log is
    never checkpointed meanwhile, so its frames count every page each commit wrote)."""
    store.db.execute("PRAGMA wal_autocheckpoint=0")
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for vectors in batches:
        store.put_embeddings(vectors, "static-model")
    return int(store.db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[1])


def test_the_embedding_cache_appends_rows_and_a_keyed_one_still_answers_the_same(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A new workspace appends cache rows and finds them by a unique index; one made
    before 0.13.3 (keyed by hash, WITHOUT ROWID) keeps its layout and answers every lookup,
    replacement and clause join the same. Writing many agreements' vectors with random
    hashes costs the appended layout far fewer log pages (the reason for it)."""
    from tradelens.models import Clause
    from tradelens.workspace import store as store_module
    from tradelens.workspace.store import Store

    rng = np.random.default_rng(3)
    batches = [{f"{rng.integers(2**63):016x}{n:048x}": rng.standard_normal(384).astype(
        np.float32) for n in range(k * 200, k * 200 + 200)} for k in range(30)]
    new = Store(tmp_path / "new")
    with monkeypatch.context() as patch:
        patch.setattr(store_module, "_EMBEDDINGS", _KEYED_CACHE)
        old = Store(tmp_path / "old")
    layouts = {name: store.db.execute("SELECT sql FROM sqlite_master WHERE name="
                                      "'embeddings'").fetchone()[0]
               for name, store in (("new", new), ("old", old))}
    assert "WITHOUT ROWID" in layouts["old"] and "WITHOUT ROWID" not in layouts["new"]
    appended, keyed = _cache_writes(new, batches), _cache_writes(old, batches)
    assert appended * 2 < keyed, (appended, keyed)

    some = {h: v for batch in batches[::7] for h, v in list(batch.items())[:5]}
    changed = {h: -v for h, v in list(some.items())[:3]}
    clauses = [Clause(clause_id=f"a:{n}", agreement_id="a", text=f"text {n}", chapter=None,
                      article=None, article_key="", paragraph=None, location=f"p{n}")
               for n in range(len(some))]
    answers = []
    for store in (new, old):
        store.put_embeddings(changed, "static-model")
        store.save_agreement({"agreement": {"id": "a", "source": "a.txt", "title": "A",
                                            "language": "en", "date_signed": None},
                              "policy_space": {"score": 1.0}, "categories": {}},
                             clauses, "sha", "config", list(some))
        found = store.get_embeddings(list(some), "static-model")
        ids, vectors, _ = store.clause_vectors("static-model")
        answers.append((sorted(found), np.vstack([found[h] for h in sorted(found)]),
                        ids, vectors, store.vector_count("static-model")))
        assert store.integrity_problems() == []
        store.close()
    (keys_new, found_new, ids_new, vec_new, count_new) = answers[0]
    (keys_old, found_old, ids_old, vec_old, count_old) = answers[1]
    assert keys_new == keys_old == sorted(some)
    assert np.array_equal(found_new, found_old)
    assert np.array_equal(found_new[sorted(some).index(next(iter(changed)))],
                          changed[next(iter(changed))])
    assert np.array_equal(ids_new, ids_old) and np.array_equal(vec_new, vec_old)
    assert count_new == count_old == len(some)
