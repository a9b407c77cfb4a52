"""Benchmark: a batch's SQLite writes, with the embedding cache appended and keyed.

Replays what a batch's main process writes for every agreement of an existing workspace
(`--store`, e.g. one a cold ToTA run made): the agreement's new embeddings, then the
agreement with its clauses and findings, one transaction each, in the order they were
analysed. The replay goes into two new workspaces: one as this version makes it (cache
rows appended, found by a unique index) and one with the cache keyed by (text hash, model
id) as workspaces before 0.13.3 hold it. Prints wall and CPU seconds of each. Printed,
not asserted.

    python bench/bench_store_writes.py --store WORKSPACE
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tradelens.models import Clause  # noqa: E402
from tradelens.workspace import store as store_module  # noqa: E402
from tradelens.workspace.store import DATABASE_FILE, Store  # noqa: E402

KEYED = """
CREATE TABLE embeddings (text_hash TEXT NOT NULL, model_id TEXT NOT NULL,
    vector BLOB NOT NULL, PRIMARY KEY (text_hash, model_id)) WITHOUT ROWID
"""
_CLAUSES = ("SELECT clause_id, agreement_id, chapter, article, paragraph, location, "
            "source_ref, page, text, text_hash FROM clauses WHERE agreement_id=? ORDER BY id")


def writes(source: sqlite3.Connection) -> list[tuple]:
    """Per agreement, in the order it was stored: (report, clauses, file hash, config,
    text hashes, source, new vectors by model); a vector is new at its first clause."""
    vectors: dict[str, dict[str, bytes]] = {}
    for text_hash, model_id, blob in source.execute(
            "SELECT text_hash, model_id, vector FROM embeddings"):
        vectors.setdefault(text_hash, {})[model_id] = blob
    seen: set[str] = set()
    out = []
    for agreement_id, path, sha, config, report in source.execute(
            "SELECT agreement_id, source, file_sha256, config, report FROM agreements "
            "ORDER BY analysed_at, rowid").fetchall():
        rows = source.execute(_CLAUSES, (agreement_id,)).fetchall()
        clauses = [Clause(clause_id=r[0], agreement_id=r[1], text=r[8], chapter=r[2],
                          article=r[3], article_key="", paragraph=r[4], location=r[5],
                          source_ref=r[6], page=r[7]) for r in rows]
        new: dict[str, dict[str, np.ndarray]] = {}
        for text_hash in (r[9] for r in rows):
            if text_hash in seen:
                continue
            seen.add(text_hash)
            for model_id, blob in vectors.get(text_hash, {}).items():
                new.setdefault(model_id, {})[text_hash] = np.frombuffer(blob, np.float32)
        out.append((json.loads(report), clauses, sha, config, [r[9] for r in rows], path,
                    new))
    return out


def replay(target: Path, jobs: list[tuple]) -> tuple[float, float]:
    store = Store(target)
    wall, cpu = time.perf_counter(), time.process_time()
    for report, clauses, sha, config, hashes, path, new in jobs:
        for model_id, vectors in new.items():
            store.put_embeddings(vectors, model_id)
        store.save_agreement(report, clauses, sha, config, hashes, source=path)
    store.close()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    args = parser.parse_args()
    source = sqlite3.connect(f"file:{args.store / DATABASE_FILE}?mode=ro", uri=True)
    jobs = writes(source)
    count = sum(len(v) for job in jobs for v in job[6].values())
    print(f"{len(jobs)} agreements, {count} embeddings written with them")
    with tempfile.TemporaryDirectory() as scratch:
        wall, cpu = replay(Path(scratch) / "appended", jobs)
        print(f"appended cache (0.13.3): {wall:.1f} s wall, {cpu:.1f} s CPU")
        store_module._EMBEDDINGS = KEYED
        wall, cpu = replay(Path(scratch) / "keyed", jobs)
        print(f"keyed cache (before):    {wall:.1f} s wall, {cpu:.1f} s CPU")


if __name__ == "__main__":
    main()
