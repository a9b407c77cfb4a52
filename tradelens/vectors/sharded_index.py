"""An IVF index built from vectors streamed in chunks, for workspaces past one machine's
memory.

`faiss_index.build_index` takes every vector as one array and the index copies them, so a
build holds the vectors twice. Here the coarse quantizer is trained on a sample, then the
vectors arrive chunk by chunk (from SQLite, or from a generator) and are added one chunk at
a time, so a build holds the index plus one chunk. With `ondisk`, each chunk becomes a
shard file instead and the shards' inverted lists are merged into one memory-mapped file
(FAISS `OnDiskInvertedLists`), so neither the build nor a search needs the vectors in
memory: the operating system pages in the lists a query visits.

Recall is measured as in `build_index`: exact top 10 of a sample of indexed vectors,
gathered in the same pass that adds the chunks (the store is read once), and `nprobe`
raised until recall@10 reaches `TARGET_RECALL`.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from tradelens.vectors.faiss_index import ivf_lists, tune_nprobe

#: A fresh iterator over (ids, vectors) chunks each time it is called.
Chunks = Callable[[], Iterator[tuple[np.ndarray, np.ndarray]]]
#: Training rows per inverted list (FAISS warns below 39).
TRAIN_PER_LIST = 40


class RunningTop:
    """Each query's exact top k ids by inner product, updated one chunk at a time, so the
    truth for the recall measurement is gathered in the same pass that adds the chunks."""

    def __init__(self, queries: np.ndarray, k: int = 10) -> None:
        self.queries = np.ascontiguousarray(queries, dtype=np.float32)
        self.k = k
        self.scores = np.full((len(queries), k), -np.inf, dtype=np.float32)
        self.ids = np.full((len(queries), k), -1, dtype=np.int64)

    def update(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        k = self.k
        scores = self.queries @ vectors.T
        if scores.shape[1] > k:  # only each row's k best of this chunk can matter
            part = np.argpartition(-scores, k, axis=1)[:, :k]
            scores = np.take_along_axis(scores, part, axis=1)
            chunk_ids = ids[part]
        else:
            chunk_ids = np.broadcast_to(ids, scores.shape)
        all_scores = np.hstack([self.scores, scores])
        all_ids = np.hstack([self.ids, chunk_ids])
        keep = np.argsort(-all_scores, axis=1, kind="stable")[:, :k]
        self.scores = np.take_along_axis(all_scores, keep, axis=1)
        self.ids = np.take_along_axis(all_ids, keep, axis=1)


def exact_top_ids(chunks: Chunks, queries: np.ndarray, k: int = 10) -> np.ndarray:
    """Ids of each query's exact top k by inner product, one chunk in memory at a time."""
    top = RunningTop(queries, k)
    for ids, vectors in chunks():
        top.update(ids, vectors)
    return top.ids


def build_flat(chunks: Chunks) -> tuple[Any, dict[str, Any]]:
    """(exact index, facts) over the vectors `chunks` yields, added one chunk at a time
    (the build holds the index plus one chunk); (None, empty facts) if it yields none."""
    import faiss

    index = None
    for ids, vectors in chunks():
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if index is None:
            index = faiss.IndexIDMap2(faiss.IndexFlatIP(vectors.shape[1]))
        index.add_with_ids(vectors, ids)
    if index is None:
        return None, {"kind": "empty", "vectors": 0}
    return index, {"kind": "flat", "vectors": int(index.ntotal), "dimension": int(index.d),
                   "recall_at_10": 1.0}


def build_sharded(count: int, training: np.ndarray, chunks: Chunks,
                  queries: np.ndarray, ondisk: Path | None = None) -> tuple[Any, dict[str, Any]]:
    """(IVF index, facts) over the `count` vectors that `chunks` yields.

    `training` is a sample of them (about `TRAIN_PER_LIST` per list is enough) and
    `queries` a sample for the recall measurement. With `ondisk`, the inverted lists are
    written to that file (it must not exist yet) and the index maps it.
    """
    import faiss

    training = np.ascontiguousarray(training, dtype=np.float32)
    dimension = training.shape[1]
    lists = ivf_lists(count)
    quantizer = faiss.IndexFlatIP(dimension)
    ivf = faiss.IndexIVFFlat(quantizer, dimension, lists, faiss.METRIC_INNER_PRODUCT)
    ivf.cp.niter = 10
    ivf.train(training)
    top = RunningTop(queries, 10)
    if ondisk is None:
        for ids, vectors in _counted(chunks, top):
            ivf.add_with_ids(vectors, ids)
        kind = "ivf"
    else:
        _add_on_disk(ivf, lambda: _counted(chunks, top), ondisk)
        kind = "ivf-ondisk"
    nprobe, measured = tune_nprobe(ivf, top.queries, top.ids, lists)
    facts = {"kind": kind, "vectors": int(ivf.ntotal), "dimension": int(dimension),
             "lists": lists, "nprobe": nprobe, "recall_at_10": round(measured, 4),
             "recall_queries": len(queries)}
    if ondisk is not None:
        facts["lists_file"] = ondisk.name
    return ivf, facts


def _counted(chunks: Chunks, top: RunningTop) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """The chunks as FAISS takes them (contiguous float32), each counted into `top` on
    its way to the index."""
    for ids, vectors in chunks():
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        top.update(ids, vectors)
        yield ids, vectors


def _add_on_disk(ivf: Any, chunks: Chunks, ondisk: Path) -> None:
    """Each chunk into its own shard file, then every shard's lists merged into `ondisk`."""
    import faiss
    from faiss.contrib.ondisk import merge_ondisk

    shards = Path(tempfile.mkdtemp(prefix="shards-", dir=ondisk.parent))
    try:
        names = []
        for n, (ids, vectors) in enumerate(chunks()):
            shard = faiss.clone_index(ivf)
            shard.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids)
            names.append(str(shards / f"{n}.index"))
            faiss.write_index(shard, names[-1])
            del shard
        merge_ondisk(ivf, names, str(ondisk))
    finally:
        shutil.rmtree(shards, ignore_errors=True)
