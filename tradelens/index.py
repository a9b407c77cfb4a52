"""FAISS index over every stored clause vector, derived from the store.

The index is rebuilt from SQLite after a batch and written atomically (temporary file,
then rename), so a crash never leaves a half-written index beside a good store.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tradelens.store import Store

INDEX_FILE = "clauses.faiss"
META_FILE = "clauses.faiss.json"


@dataclass
class Hit:
    row_id: int
    score: float


def rebuild_index(store: Store, model_id: str) -> int:
    """Write the clause index for `model_id`; returns how many vectors it holds."""
    import faiss

    ids, vectors = store.clause_vectors(model_id)
    if len(ids) == 0:
        return 0
    index = faiss.IndexIDMap2(faiss.IndexFlatIP(vectors.shape[1]))
    index.add_with_ids(np.ascontiguousarray(vectors), ids)
    target = store.directory / INDEX_FILE
    tmp = target.with_suffix(".faiss.tmp")
    faiss.write_index(index, str(tmp))
    os.replace(tmp, target)
    _write_json_atomically(store.directory / META_FILE,
                           {"model_id": model_id, "vectors": int(index.ntotal),
                            "dimension": int(vectors.shape[1]), "kind": "flat-ip"})
    return int(index.ntotal)


def _write_json_atomically(path: Path, data: dict) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=2))
    os.replace(tmp, path)


def load_index(directory: Path):  # noqa: ANN201 - faiss types are not annotated
    import faiss

    return faiss.read_index(str(directory / INDEX_FILE))


def search(index, query: np.ndarray, k: int) -> list[Hit]:  # noqa: ANN001
    scores, ids = index.search(np.ascontiguousarray(query.reshape(1, -1)), k)
    return [Hit(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i != -1]
