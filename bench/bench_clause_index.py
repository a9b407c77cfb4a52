"""Benchmark: the workspace's clause index built exact and as IVF, on a real workspace.

Builds the index of an existing workspace (`--store`, e.g. one a cold ToTA run made) both
ways through `tradelens.workspace.index.build`, the code a batch runs at its end, and
prints for each: build time, search latency one query at a time through `nearest` (k=10,
p50 and p95 over `--queries` stored clause vectors, slightly perturbed), and recall@10
against exact search. Nothing is written to the workspace. Printed, not asserted.

    python bench/bench_clause_index.py --store WORKSPACE [--queries 300]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tradelens.vectors.faiss_index import recall  # noqa: E402
from tradelens.workspace.index import build, nearest, read_facts  # noqa: E402
from tradelens.workspace.store import Store  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    store = Store(args.store, read_only=True)
    facts = read_facts(args.store) or {}
    model_id = facts.get("model_id")
    if not model_id:
        sys.exit(f"{args.store}: no clause index facts to take the model id from")
    rng = np.random.default_rng(0)
    ids = store.clause_vector_ids(model_id)
    _, queries = store.clause_vectors_at(model_id, rng.choice(ids, args.queries,
                                                              replace=False))
    queries = queries + rng.normal(0, 0.01, queries.shape).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    print(f"workspace: {len(ids)} clause vectors; {len(queries)} queries, one at a time")
    found: dict[str, list[list[int]]] = {}
    for kind in ("flat", "ivf"):
        started = time.perf_counter()
        index, built = build(store, model_id, kind)
        seconds = time.perf_counter() - started
        latencies, rows = [], []
        for query in queries:
            started = time.perf_counter()
            hits = nearest(index, query, 10)
            latencies.append(time.perf_counter() - started)
            rows.append([hit.row_id for hit in hits])
        found[kind] = rows
        latencies.sort()
        p95 = latencies[int(0.95 * (len(latencies) - 1))]
        shape = (f"{built['lists']} lists, nprobe {built['nprobe']}" if kind == "ivf"
                 else "exact")
        print(f"{kind:5s} ({shape}): build {seconds:.2f} s; search p50 "
              f"{statistics.median(latencies) * 1e3:.2f} ms, p95 {p95 * 1e3:.2f} ms")
    truth = np.array(found["flat"])
    print(f"recall@10 of ivf against exact: {recall(truth, np.array(found['ivf'])):.4f}")


if __name__ == "__main__":
    main()
