"""The sharded IVF build: vectors streamed chunk by chunk (in memory, or merged into
on-disk inverted lists) reach the recall target against exact search on ~60 000 vectors
made from real ToTA clauses; the workspace index built that way survives a move."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from tradelens.text import read_document
from tradelens.text.segment import segment
from tradelens.vectors.faiss_index import exact_index, recall_at
from tradelens.vectors.sharded_index import build_sharded, exact_top_ids
from tradelens.workspace.index import LISTS_SUFFIX, load_index, nearest, rebuild_index
from tradelens.workspace.store import Store

TOTAL = 60_000
CHUNK = 7_000  # not a divisor of TOTAL: the last chunk is short


@pytest.fixture(scope="module")
def clause_vectors(tota_dir) -> np.ndarray:
    """First-pass vectors of the clauses of 20 real ToTA agreements."""
    from tradelens.vectors.sentence import SentenceEncoder
    from tradelens.vectors.static import StaticEncoder

    static = StaticEncoder(SentenceEncoder())
    texts = [c.text for path in sorted(tota_dir.glob("pta_3*.xml"))[:20]
             for c in segment(read_document(path))]
    return static.encode(texts)


def _replicated(base: np.ndarray, start: int, stop: int) -> np.ndarray:
    """Rows start..stop of a synthetic workspace: real vectors with a small perturbation
    (seeded by row, so every pass over the chunks yields the same vectors), renormalised."""
    rows = np.arange(start, stop)
    out = base[rows % len(base)].copy()
    for n, row in enumerate(rows):
        out[n] += np.random.default_rng(row).normal(0, 0.015, base.shape[1]).astype(np.float32)
    out /= np.linalg.norm(out, axis=1, keepdims=True)
    return out


@pytest.fixture(scope="module")
def workspace(clause_vectors):
    ids = np.arange(TOTAL, dtype=np.int64) * 3 + 5  # ids that are not row numbers
    everything = _replicated(clause_vectors, 0, TOTAL)

    def chunks():
        for start in range(0, TOTAL, CHUNK):
            yield ids[start:start + CHUNK], everything[start:start + CHUNK]

    return ids, everything, chunks


def test_streamed_exact_top_k_is_exact_search(workspace):
    ids, everything, chunks = workspace
    queries = everything[:50]
    truth = ids[exact_index(everything).search(queries, 10)[1]]
    assert (exact_top_ids(chunks, queries, 10) == truth).all()


@pytest.mark.parametrize("on_disk", [False, True])
def test_a_sharded_build_reaches_the_recall_target(workspace, tmp_path, on_disk):
    import faiss

    ids, everything, chunks = workspace
    assert len(everything) >= TOTAL
    rng = np.random.default_rng(3)
    training = everything[rng.choice(TOTAL, 40 * 980, replace=False)]
    sample = everything[rng.choice(TOTAL, 200, replace=False)]
    lists = tmp_path / "lists.ivfdata" if on_disk else None
    index, facts = build_sharded(TOTAL, training, chunks, sample, ondisk=lists)
    assert facts["vectors"] == index.ntotal == TOTAL
    assert facts["kind"] == ("ivf-ondisk" if on_disk else "ivf")
    assert facts["recall_at_10"] >= 0.95
    # recall again, on queries that are not in the index, against a flat index
    exact = faiss.IndexIDMap2(faiss.IndexFlatIP(everything.shape[1]))
    exact.add_with_ids(everything, ids)
    queries = everything[rng.choice(TOTAL, 300, replace=False)]
    queries = queries + rng.normal(0, 0.02, queries.shape).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    assert recall_at(index, exact, queries) >= 0.95
    if on_disk:
        assert lists.is_file() and lists.stat().st_size >= TOTAL * everything.shape[1] * 4
        # written, read back mapped: the same answers
        faiss.write_index(index, str(tmp_path / "x.faiss"))
        again = faiss.read_index(str(tmp_path / "x.faiss"), faiss.IO_FLAG_ONDISK_SAME_DIR)
        faiss.extract_index_ivf(again).nprobe = facts["nprobe"]
        assert (again.search(queries, 10)[1] == index.search(queries, 10)[1]).all()


def test_an_exact_index_from_chunks_answers_as_one_built_from_every_vector(workspace):
    """Below `APPROXIMATE_FROM` (60,000 real-clause vectors here) the workspace index is
    exact: built a chunk at a time, it returns the same neighbours and scores as a flat
    index over one array of every vector, with the store's ids."""
    import faiss

    from tradelens.vectors.faiss_index import APPROXIMATE_FROM, exact_index, top_k
    from tradelens.vectors.sharded_index import build_flat

    ids, everything, chunks = workspace
    assert TOTAL < APPROXIMATE_FROM
    index, facts = build_flat(chunks)
    assert facts == {"kind": "flat", "vectors": TOTAL, "dimension": everything.shape[1],
                     "recall_at_10": 1.0}
    queries = everything[::997] + 0.01
    scores, found = index.search(queries, 10)
    truth_scores, truth_rows = exact_index(everything).search(queries, 10)
    assert (found == ids[truth_rows]).all()
    assert np.allclose(scores, truth_scores, atol=1e-5)
    assert build_flat(lambda: iter(())) == (None, {"kind": "empty", "vectors": 0})
    assert isinstance(index, faiss.IndexIDMap2)
    # one query is scanned by one thread, and the thread count is given back
    threads = faiss.omp_get_max_threads()
    one_scores, one_ids = top_k(index, queries[3], 10)
    assert faiss.omp_get_max_threads() == threads
    assert (one_ids[0] == found[3]).all() and np.allclose(one_scores[0], scores[3], atol=1e-5)


def test_the_workspace_index_on_disk_moves_with_the_workspace(samples_run, tmp_path):
    store_dir = tmp_path / "ws"
    shutil.copytree(samples_run[2], store_dir)
    store = Store(store_dir)
    model_id = json.loads((store_dir / "clauses.faiss.json").read_text())["model_id"]
    _, vectors, _ = store.clause_vectors(model_id)
    assert rebuild_index(store, model_id, kind="ivf-ondisk") == len(vectors)
    first = list(store_dir.glob(f"*{LISTS_SUFFIX}"))
    assert len(first) == 1
    assert rebuild_index(store, model_id, kind="ivf-ondisk") == len(vectors)
    second = list(store_dir.glob(f"*{LISTS_SUFFIX}"))
    assert len(second) == 1 and second != first  # the stale lists file is gone
    store.close()
    moved = tmp_path / "moved"
    store_dir.rename(moved)
    index, facts = load_index(moved)
    assert facts["kind"] == "ivf-ondisk" and index.ntotal == len(vectors)
    hits = nearest(index, vectors[7], 3)
    assert hits and hits[0].score == pytest.approx(1.0, abs=1e-4)
