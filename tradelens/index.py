"""FAISS index over every stored clause vector, derived from the store.

The index is rebuilt from SQLite after a batch and written atomically (temporary file,
then rename), so a crash never leaves a half-written index beside a good store.

Small workspaces get an exact (flat) inner-product index. From `APPROXIMATE_FROM` vectors
on, an inverted-file index (IVF) is built instead: it is quick to train and to add to, and
its `nprobe` (how many lists a query visits) is chosen at build time by measuring recall@10
against exact search on a sample of the stored vectors, so the recall written beside the
index is a measured figure, not a hope.
"""

from __future__ import annotations

import json
import math
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tradelens.store import Store

INDEX_FILE = "clauses.faiss"
META_FILE = "clauses.faiss.json"
#: From this many vectors on, the index is approximate (IVF).
APPROXIMATE_FROM = 50_000
#: nprobe is raised until recall@10 on the sample reaches this.
TARGET_RECALL = 0.97
_RECALL_QUERIES = 200


@dataclass
class Hit:
    row_id: int
    score: float


def _exact(vectors: np.ndarray):  # noqa: ANN202 - faiss types are not annotated
    import faiss

    return faiss.IndexFlatIP(vectors.shape[1])


def recall_at(approximate: Any, exact: Any, queries: np.ndarray, k: int = 10) -> float:
    """Share of the exact top-k that the approximate index also returns."""
    return _recall(exact.search(queries, k)[1], approximate.search(queries, k)[1])


def _recall(truth: np.ndarray, found: np.ndarray) -> float:
    hits = sum(len(set(t[t >= 0]) & set(f[f >= 0])) for t, f in zip(truth, found, strict=True))
    total = sum(int((t >= 0).sum()) for t in truth)
    return hits / total if total else 1.0


def _exact_top(vectors: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    """Row numbers of each query's exact top k, in chunks, without a second index."""
    best_scores = np.full((len(queries), k), -np.inf, dtype=np.float32)
    best_rows = np.zeros((len(queries), k), dtype=np.int64)
    for start in range(0, len(vectors), 20_000):
        scores = queries @ vectors[start:start + 20_000].T
        rows = np.arange(start, start + scores.shape[1])
        all_scores = np.hstack([best_scores, scores])
        all_rows = np.hstack([best_rows, np.broadcast_to(rows, scores.shape)])
        keep = np.argsort(-all_scores, axis=1)[:, :k]
        best_scores = np.take_along_axis(all_scores, keep, axis=1)
        best_rows = np.take_along_axis(all_rows, keep, axis=1)
    return best_rows


def build_index(ids: np.ndarray, vectors: np.ndarray, kind: str = "auto",
                ) -> tuple[Any, dict[str, Any]]:
    """(index, facts about it): exact below `APPROXIMATE_FROM` vectors or with kind="flat",
    IVF above it or with kind="ivf"."""
    import faiss

    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    count, dimension = vectors.shape
    if kind == "auto":
        kind = "ivf" if count >= APPROXIMATE_FROM else "flat"
    facts: dict[str, Any] = {"kind": kind, "vectors": int(count), "dimension": int(dimension)}
    if kind == "flat":
        index = faiss.IndexIDMap2(_exact(vectors))
        index.add_with_ids(vectors, ids)
        facts["recall_at_10"] = 1.0
        return index, facts
    lists = max(1, min(int(4 * math.sqrt(count)), count // 39))
    quantizer = faiss.IndexFlatIP(dimension)
    ivf = faiss.IndexIVFFlat(quantizer, dimension, lists, faiss.METRIC_INNER_PRODUCT)
    ivf.cp.niter = 10  # k-means iterations: recall is measured below, whatever they give
    rng = np.random.default_rng(0)
    sample = vectors[rng.choice(count, size=min(count, lists * 40), replace=False)]
    ivf.train(sample)
    ivf.add_with_ids(vectors, ids)
    queries = vectors[rng.choice(count, size=min(count, _RECALL_QUERIES), replace=False)]
    truth = ids[_exact_top(vectors, queries, 10)]
    nprobe, recall = 1, 0.0
    while True:
        ivf.nprobe = nprobe
        recall = _recall(truth, ivf.search(queries, 10)[1])
        if recall >= TARGET_RECALL or nprobe >= lists:
            break
        nprobe = min(lists, nprobe * 2)
    facts.update({"lists": lists, "nprobe": nprobe, "recall_at_10": round(recall, 4),
                  "recall_queries": len(queries)})
    return ivf, facts


def rebuild_index(store: Store, model_id: str, kind: str = "auto") -> int:
    """Write the clause index for `model_id`; returns how many vectors it holds."""
    import faiss

    started = time.perf_counter()
    ids, vectors = store.clause_vectors(model_id)
    if len(ids) == 0:
        return 0
    index, facts = build_index(ids, vectors, kind)
    target = store.directory / INDEX_FILE
    tmp = target.with_suffix(".faiss.tmp")
    faiss.write_index(index, str(tmp))
    os.replace(tmp, target)
    facts.update({"model_id": model_id, "seconds": round(time.perf_counter() - started, 2)})
    _write_json_atomically(store.directory / META_FILE, facts)
    return int(index.ntotal)


def _write_json_atomically(path: Path, data: dict) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=2))
    os.replace(tmp, path)


def load_index(directory: Path) -> tuple[Any, dict[str, Any]]:
    """The workspace's index with its facts; an IVF index gets its measured nprobe."""
    import faiss

    facts = json.loads((directory / META_FILE).read_text())
    index = faiss.read_index(str(directory / INDEX_FILE))
    if facts.get("kind") == "ivf":
        faiss.extract_index_ivf(index).nprobe = int(facts["nprobe"])
    return index, facts


def search(index: Any, query: np.ndarray, k: int) -> list[Hit]:
    scores, ids = index.search(np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32), k)
    return [Hit(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i != -1]
