"""The workspace's clause index: a FAISS index over every stored clause's first-pass vector.

It is derived state: rebuilt from SQLite after a batch that changed the store, written
atomically (temporary file, then rename) with a JSON file of facts beside it (kind, size,
model, measured recall), so a crash never leaves a half-written index beside a good store.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tradelens.fileio import atomic_path, write_atomically
from tradelens.vectors.faiss_index import APPROXIMATE_FROM, build_index, ivf_lists, top_k
from tradelens.vectors.sharded_index import TRAIN_PER_LIST, build_sharded
from tradelens.workspace.store import Store

INDEX_FILE = "clauses.faiss"
META_FILE = "clauses.faiss.json"
LISTS_SUFFIX = ".ivfdata"
#: From this many clause vectors on, the index's inverted lists live in a memory-mapped
#: file (`LISTS_SUFFIX`) rather than in memory.
ONDISK_FROM = 1_000_000
#: Stored clauses whose exact top 10 measures an IVF index's recall.
RECALL_QUERIES = 200


@dataclass
class Hit:
    row_id: int
    score: float


def rebuild_index(store: Store, model_id: str, kind: str = "auto") -> int:
    """Write the clause index for `model_id`; returns how many vectors it holds.

    `kind`: "flat" (exact), "ivf" (in memory), "ivf-ondisk" (inverted lists in a
    memory-mapped file beside the index), or "auto": flat below `APPROXIMATE_FROM`
    vectors, on disk from `ONDISK_FROM`, IVF in memory between. IVF indexes are built from
    the store chunk by chunk (`vectors/sharded_index.py`), never from one array of every
    vector.
    """
    import faiss

    started = time.perf_counter()
    all_ids = store.clause_vector_ids(model_id)
    count = len(all_ids)
    if count == 0:
        return 0
    if kind == "auto":
        kind = ("flat" if count < APPROXIMATE_FROM else
                "ivf-ondisk" if count >= ONDISK_FROM else "ivf")
    lists_file = None
    if kind == "flat":
        index, facts = build_index(*store.clause_vectors(model_id), kind="flat")
    else:
        rng = np.random.default_rng(0)
        size = min(count, ivf_lists(count) * TRAIN_PER_LIST)
        _, training = store.clause_vectors_at(model_id, rng.choice(all_ids, size, replace=False))
        _, queries = store.clause_vectors_at(
            model_id, rng.choice(all_ids, min(count, RECALL_QUERIES), replace=False))
        if kind == "ivf-ondisk":
            # a new name each time: a reader may still map the previous file
            lists_file = store.directory / f"clauses-{uuid.uuid4().hex[:12]}{LISTS_SUFFIX}"
        index, facts = build_sharded(count, training,
                                     lambda: store.clause_vector_chunks(model_id), queries,
                                     ondisk=lists_file)
    with atomic_path(store.directory / INDEX_FILE) as tmp:
        faiss.write_index(index, str(tmp))
    facts.update({"model_id": model_id, "seconds": round(time.perf_counter() - started, 2)})
    write_atomically(store.directory / META_FILE, json.dumps(facts, indent=2))
    for stale in store.directory.glob(f"clauses-*{LISTS_SUFFIX}"):
        if stale != lists_file:
            stale.unlink(missing_ok=True)
    return int(index.ntotal)


def load_index(directory: Path) -> tuple[Any, dict[str, Any]]:
    """The workspace's index with its facts; an IVF index gets its measured nprobe."""
    import faiss

    facts = json.loads((directory / META_FILE).read_text())
    # on-disk lists are found beside the index, wherever the workspace has moved
    flags = faiss.IO_FLAG_ONDISK_SAME_DIR if facts.get("kind") == "ivf-ondisk" else 0
    index = faiss.read_index(str(directory / INDEX_FILE), flags)
    if str(facts.get("kind", "")).startswith("ivf"):
        faiss.extract_index_ivf(index).nprobe = int(facts["nprobe"])
    return index, facts


def nearest(index: Any, query: np.ndarray, k: int) -> list[Hit]:
    """The `k` stored clauses closest to one query vector, closest first."""
    scores, ids = top_k(index, query, k)
    return [Hit(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i != -1]
