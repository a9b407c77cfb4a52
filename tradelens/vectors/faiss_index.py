"""FAISS in one place: exact top-k search, and an IVF index whose recall is measured.

Every part of TradeLens that asks "which vectors are closest" comes here: the classifier's
exemplars, `check`'s precedents, the workspace's clause index. Small sets get an exact
inner-product index. From `APPROXIMATE_FROM` vectors on, an inverted-file index (IVF) is
built instead: quick to train and to add to, with its `nprobe` (how many lists a query
visits) chosen at build time by measuring recall@10 against exact search on a sample of
the indexed vectors, so the recall written beside the index is a measured figure.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

#: From this many vectors on, `build_index` makes an approximate (IVF) index. Below it an
#: exact index answers one query in 6.8 ms (p95) here at ToTA's 105,683 clause vectors
#: (16.4 ms at this bound, measured beside another job), needs no training, and is built
#: in 1.6 s instead of 5.8 s at the end of every batch run (docs/performance.md, 0.13.3;
#: it was 50,000).
APPROXIMATE_FROM = 150_000
#: nprobe is raised until recall@10 on the sample reaches this.
TARGET_RECALL = 0.97
_RECALL_QUERIES = 200
_CHUNK = 20_000


def _rows(vectors: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(np.atleast_2d(vectors), dtype=np.float32)


def exact_index(vectors: np.ndarray) -> Any:
    """An exact inner-product index over `vectors` (row numbers are the ids)."""
    import faiss

    rows = _rows(vectors)
    index = faiss.IndexFlatIP(rows.shape[1])
    index.add(rows)
    return index


def top_k(index: Any, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(scores, ids) of each query's `k` nearest in `index`; missing neighbours are -1.

    One query against an exact index is scanned by this thread alone: FAISS 1.15 splits
    that scan over every core, and here it then takes twice as long (14 ms against 7 ms
    for ToTA's 105,683 vectors; docs/performance.md, 0.13.3). OpenMP's thread count is
    per calling thread, so this does not reach searches running in other threads."""
    import faiss

    k = max(1, min(k, int(index.ntotal)))
    rows = _rows(queries)
    if len(rows) > 1 or not _exact(index):
        return index.search(rows, k)
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        return index.search(rows, k)
    finally:
        faiss.omp_set_num_threads(threads)


def _exact(index: Any) -> bool:  # noqa: ANN401 - a FAISS index
    import faiss

    if isinstance(index, faiss.IndexIDMap):  # IndexIDMap2 is one
        index = faiss.downcast_index(index.index)
    return isinstance(index, faiss.IndexFlat)


def exact_top_rows(vectors: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    """Row numbers of each query's exact top k, computed in chunks with numpy alone (no
    second copy of the vectors in an index: used as the truth for recall)."""
    best_scores = np.full((len(queries), k), -np.inf, dtype=np.float32)
    best_rows = np.zeros((len(queries), k), dtype=np.int64)
    for start in range(0, len(vectors), _CHUNK):
        scores = queries @ vectors[start:start + _CHUNK].T
        rows = np.arange(start, start + scores.shape[1])
        all_scores = np.hstack([best_scores, scores])
        all_rows = np.hstack([best_rows, np.broadcast_to(rows, scores.shape)])
        keep = np.argsort(-all_scores, axis=1)[:, :k]
        best_scores = np.take_along_axis(all_scores, keep, axis=1)
        best_rows = np.take_along_axis(all_rows, keep, axis=1)
    return best_rows


def recall_at(approximate: Any, exact: Any, queries: np.ndarray, k: int = 10) -> float:
    """Share of the exact top-k that the approximate index also returns."""
    return recall(exact.search(queries, k)[1], approximate.search(queries, k)[1])


def recall(truth: np.ndarray, found: np.ndarray) -> float:
    """Share of the ids in `truth` rows that the same rows of `found` hold."""
    hits = sum(len(set(t[t >= 0]) & set(f[f >= 0])) for t, f in zip(truth, found, strict=True))
    total = sum(int((t >= 0).sum()) for t in truth)
    return hits / total if total else 1.0


def ivf_lists(count: int) -> int:
    """How many inverted lists an IVF index over `count` vectors gets."""
    return max(1, min(int(4 * math.sqrt(count)), count // 39))


def tune_nprobe(ivf: Any, queries: np.ndarray, truth: np.ndarray,
                lists: int) -> tuple[int, float]:
    """The smallest power-of-two nprobe whose recall@10 against `truth` (the queries' exact
    top-10 ids) reaches TARGET_RECALL, or all lists; sets it on `ivf`."""
    nprobe, measured = 1, 0.0
    while True:
        ivf.nprobe = nprobe
        measured = recall(truth, ivf.search(queries, 10)[1])
        if measured >= TARGET_RECALL or nprobe >= lists:
            return nprobe, measured
        nprobe = min(lists, nprobe * 2)


def build_index(ids: np.ndarray, vectors: np.ndarray, kind: str = "auto",
                ) -> tuple[Any, dict[str, Any]]:
    """(index with the given ids, facts about it): exact below `APPROXIMATE_FROM` vectors
    or with kind="flat", IVF above it or with kind="ivf"."""
    import faiss

    vectors = _rows(vectors)
    count, dimension = vectors.shape
    if kind == "auto":
        kind = "ivf" if count >= APPROXIMATE_FROM else "flat"
    facts: dict[str, Any] = {"kind": kind, "vectors": int(count), "dimension": int(dimension)}
    if kind == "flat":
        index = faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))
        index.add_with_ids(vectors, ids)
        facts["recall_at_10"] = 1.0
        return index, facts
    lists = ivf_lists(count)
    quantizer = faiss.IndexFlatIP(dimension)
    ivf = faiss.IndexIVFFlat(quantizer, dimension, lists, faiss.METRIC_INNER_PRODUCT)
    ivf.cp.niter = 10  # k-means iterations: recall is measured below, whatever they give
    rng = np.random.default_rng(0)
    sample = vectors[rng.choice(count, size=min(count, lists * 40), replace=False)]
    ivf.train(sample)
    ivf.add_with_ids(vectors, ids)
    queries = vectors[rng.choice(count, size=min(count, _RECALL_QUERIES), replace=False)]
    truth = ids[exact_top_rows(vectors, queries, 10)]
    nprobe, measured = tune_nprobe(ivf, queries, truth, lists)
    facts.update({"lists": lists, "nprobe": nprobe, "recall_at_10": round(measured, 4),
                  "recall_queries": len(queries)})
    return ivf, facts
