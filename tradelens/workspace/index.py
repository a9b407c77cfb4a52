"""The workspace's clause index: a FAISS index over every stored clause's first-pass vector.

It is derived state: rebuilt from SQLite after a batch that changed the store, written
atomically (temporary file, then rename) with a JSON file of facts beside it (kind, size,
model, measured recall), so a crash never leaves a half-written index beside a good store.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tradelens.fileio import atomic_path, write_atomically
from tradelens.vectors.faiss_index import build_index, top_k
from tradelens.workspace.store import Store

INDEX_FILE = "clauses.faiss"
META_FILE = "clauses.faiss.json"


@dataclass
class Hit:
    row_id: int
    score: float


def rebuild_index(store: Store, model_id: str, kind: str = "auto") -> int:
    """Write the clause index for `model_id`; returns how many vectors it holds."""
    import faiss

    started = time.perf_counter()
    ids, vectors = store.clause_vectors(model_id)
    if len(ids) == 0:
        return 0
    index, facts = build_index(ids, vectors, kind)
    with atomic_path(store.directory / INDEX_FILE) as tmp:
        faiss.write_index(index, str(tmp))
    facts.update({"model_id": model_id, "seconds": round(time.perf_counter() - started, 2)})
    write_atomically(store.directory / META_FILE, json.dumps(facts, indent=2))
    return int(index.ntotal)


def load_index(directory: Path) -> tuple[Any, dict[str, Any]]:
    """The workspace's index with its facts; an IVF index gets its measured nprobe."""
    import faiss

    facts = json.loads((directory / META_FILE).read_text())
    index = faiss.read_index(str(directory / INDEX_FILE))
    if facts.get("kind") == "ivf":
        faiss.extract_index_ivf(index).nprobe = int(facts["nprobe"])
    return index, facts


def nearest(index: Any, query: np.ndarray, k: int) -> list[Hit]:
    """The `k` stored clauses closest to one query vector, closest first."""
    scores, ids = top_k(index, query, k)
    return [Hit(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i != -1]
