"""The workspace's clause index: a FAISS index over every stored clause's first-pass vector.

It is derived state. Its facts file (`clauses.faiss.json`: kind, size, model, measured
recall, the index file's size and SHA-256, and the store generation it was built from) is
written last, atomically, after the index file; so a reader can always tell whether the
pair matches the store. `current_index` is the one way a command reads it: a missing,
stale, truncated or unreadable index is rebuilt from SQLite with a one-line notice (kept in
memory only when the folder is read-only). Writers take a lock, and never replace an
index with an older generation than the one on disk.
"""

from __future__ import annotations

import json
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tradelens.crashpoints import crash_point
from tradelens.errors import SetupError, no_clause_index
from tradelens.fileio import atomic_path, file_sha256, locked_folder, write_atomically
from tradelens.vectors.faiss_index import APPROXIMATE_FROM, ivf_lists, top_k
from tradelens.vectors.sharded_index import TRAIN_PER_LIST, build_flat, build_sharded
from tradelens.workspace.store import Store

INDEX_FILE = "clauses.faiss"
META_FILE = "clauses.faiss.json"
LISTS_SUFFIX = ".ivfdata"
#: From this many clause vectors on, the index's inverted lists live in a memory-mapped
#: file (`LISTS_SUFFIX`) rather than in memory.
ONDISK_FROM = 1_000_000
#: Stored clauses whose exact top 10 measures an IVF index's recall.
RECALL_QUERIES = 200

Notify = Callable[[str], None]


@dataclass
class Hit:
    row_id: int
    score: float


def notice(message: str) -> None:
    """One line on stderr: what a command repaired on its way."""
    print(f"note: {message}", file=sys.stderr)


def build(store: Store, model_id: str, kind: str = "auto") -> tuple[Any, dict[str, Any]]:
    """The clause index for `model_id` built from the store, in memory, with its facts
    (including the store generation it was built from); (None, facts) if the store holds no
    clause vector for this model.

    `kind`: "flat" (exact), "ivf" (in memory), "ivf-ondisk" (inverted lists in a
    memory-mapped file beside the index), or "auto": flat below `APPROXIMATE_FROM`
    vectors, on disk from `ONDISK_FROM`, IVF in memory between. Every kind is built from
    the store chunk by chunk (`vectors/sharded_index.py`), never from one array of every
    vector; the generation is read before the vectors, so a save during the build only
    makes the index look stale, never newer than it is.
    """
    started = time.perf_counter()
    generation = store.generation()
    all_ids = store.clause_vector_ids(model_id)
    count = len(all_ids)
    facts: dict[str, Any] = {"kind": "empty", "vectors": 0}
    index = None
    if kind == "auto":
        kind = ("flat" if count < APPROXIMATE_FROM else
                "ivf-ondisk" if count >= ONDISK_FROM else "ivf")
    if count and kind == "flat":
        index, facts = build_flat(lambda: store.clause_vector_chunks(model_id))
    elif count:
        rng = np.random.default_rng(0)
        size = min(count, ivf_lists(count) * TRAIN_PER_LIST)
        _, training = store.clause_vectors_at(model_id, rng.choice(all_ids, size,
                                                                   replace=False))
        _, queries = store.clause_vectors_at(
            model_id, rng.choice(all_ids, min(count, RECALL_QUERIES), replace=False))
        lists_file = None
        if kind == "ivf-ondisk":
            # a new name each time: a reader may still map the previous file
            lists_file = store.directory / f"clauses-{uuid.uuid4().hex[:12]}{LISTS_SUFFIX}"
        index, facts = build_sharded(count, training,
                                     lambda: store.clause_vector_chunks(model_id), queries,
                                     ondisk=lists_file)
        if lists_file is not None:
            facts["lists_file"] = lists_file.name
    facts.update({"model_id": model_id, "generation": generation,
                  "seconds": round(time.perf_counter() - started, 2)})
    return index, facts


def save(directory: Path, index: Any, facts: dict[str, Any]) -> bool:
    """Write the index and then its facts, under the lock; False (nothing written) when
    the files on disk are already from a newer generation of the store."""
    import faiss

    with locked_folder(directory):
        on_disk = read_facts(directory)
        if (on_disk and on_disk.get("model_id") == facts["model_id"]
                and isinstance(on_disk.get("generation"), int)
                and isinstance(facts["generation"], int)
                and on_disk["generation"] > facts["generation"]):
            return False
        if index is None:
            (directory / INDEX_FILE).unlink(missing_ok=True)
            facts.update({"bytes": 0, "sha256": None})
        else:
            with atomic_path(directory / INDEX_FILE) as tmp:
                faiss.write_index(index, str(tmp))
                facts.update({"bytes": tmp.stat().st_size, "sha256": file_sha256(tmp)})
            crash_point("index_save")
        write_atomically(directory / META_FILE, json.dumps(facts, indent=2))
        for stale in directory.glob(f"clauses-*{LISTS_SUFFIX}"):
            if stale.name != facts.get("lists_file"):
                stale.unlink(missing_ok=True)
    return True


def rebuild_index(store: Store, model_id: str, kind: str = "auto") -> int:
    """Rebuild and write the clause index for `model_id`; returns how many vectors it
    holds. A read-only store keeps its files as they are."""
    index, facts = build(store, model_id, kind)
    if not store.read_only:
        save(store.directory, index, facts)
    return int(facts["vectors"])


def read_facts(directory: Path) -> dict[str, Any] | None:
    """The index's facts file, or None if it is missing or unreadable."""
    try:
        facts = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return facts if isinstance(facts, dict) else None


def problem(store: Store, facts: dict[str, Any] | None, model_id: str | None = None,
            ) -> str | None:
    """Why the index on disk cannot be trusted for this store, or None. Cheap: no file
    is read beyond the facts (the hash is for `tradelens doctor`)."""
    directory = store.directory
    if facts is None:
        return ("missing" if not (directory / META_FILE).exists()
                else "unreadable (its facts file is damaged)")
    if model_id and facts.get("model_id") != model_id:
        return f"built with {facts.get('model_id')}, not {model_id}"
    generation = store.generation()
    if generation is None or facts.get("generation") != generation:
        return (f"stale (built at generation {facts.get('generation')}, the store is at "
                f"{generation})")
    if facts.get("vectors", 0) == 0:
        return None
    path = directory / INDEX_FILE
    if not path.is_file():
        return "missing (its facts file is there)"
    if path.stat().st_size != facts.get("bytes"):
        return f"truncated or replaced ({path.stat().st_size} bytes, expected {facts.get('bytes')})"
    return None


def load_index(directory: Path) -> tuple[Any, dict[str, Any]]:
    """The workspace's index with its facts, as they are on disk (no check; see
    `current_index`); an IVF index gets its measured nprobe."""
    import faiss

    facts = json.loads((directory / META_FILE).read_text())
    # on-disk lists are found beside the index, wherever the workspace has moved
    flags = faiss.IO_FLAG_ONDISK_SAME_DIR if facts.get("kind") == "ivf-ondisk" else 0
    index = faiss.read_index(str(directory / INDEX_FILE), flags)
    _tune(index, facts)
    return index, facts


def _tune(index: Any, facts: dict[str, Any]) -> None:
    import faiss

    if str(facts.get("kind", "")).startswith("ivf"):
        faiss.extract_index_ivf(index).nprobe = int(facts["nprobe"])


def current_index(store: Store, model_id: str, notify: Notify = notice,
                  ) -> tuple[Any, dict[str, Any]]:
    """The clause index matching the store now: read from disk when its facts say it is
    current, else rebuilt (and saved, when the folder is writable) with one notice.
    SetupError if the store has no clause vectors for `model_id`."""
    import faiss

    directory = store.directory
    facts = read_facts(directory)
    if facts is not None and facts.get("model_id") not in (None, model_id) \
            and not store.vector_count(model_id):
        raise SetupError(f"{directory}: the index was built with {facts.get('model_id')}, "
                         f"not {model_id}; pass the same --model")
    reason = problem(store, facts, model_id)
    index = None
    if reason is None and facts and facts.get("vectors"):
        try:
            index = faiss.read_index(str(directory / INDEX_FILE))
            if index.ntotal != facts["vectors"]:
                reason = f"damaged (holds {index.ntotal} vectors, expected {facts['vectors']})"
        except RuntimeError:
            reason = "unreadable"
    if reason is not None:
        index, facts = build(store, model_id)
        if index is None:  # nothing to index: an empty workspace is not news
            raise SetupError(no_clause_index(directory))
        if store.read_only:
            where = "in memory only: the workspace folder is read-only"
        else:
            save(directory, index, facts)
            where = "saved"
        notify(f"{directory}: the clause index was {reason}; rebuilt from the store "
               f"({facts['vectors']} clauses, {where})")
    if index is None:
        raise SetupError(no_clause_index(directory))
    _tune(index, facts)
    return index, facts


def is_current(store: Store, model_id: str) -> bool:
    """Whether the index on disk matches the store (by its facts; see `problem`)."""
    return problem(store, read_facts(store.directory), model_id) is None


def nearest(index: Any, query: np.ndarray, k: int) -> list[Hit]:
    """The `k` stored clauses closest to one query vector, closest first."""
    scores, ids = top_k(index, query, k)
    return [Hit(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i != -1]

