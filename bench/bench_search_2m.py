"""Benchmark: similarity search over a synthetic workspace of two million clause vectors.

The vectors are ToTA-like: the real first-pass (static) vectors of a few thousand real
ToTA clauses, replicated with a small random perturbation each and renormalised, generated
chunk by chunk from seeds (never all in memory). The index is built the way a workspace
of that size builds it (`tradelens.workspace.index.rebuild_index` with kind "auto"):
coarse quantizer trained on a sample, vectors added shard by shard, inverted lists merged
into a memory-mapped file (or kept in memory with --in-memory). Printed, not asserted:

- build time and peak RSS of this process (the build never holds all vectors at once);
- search latency, one query at a time, k=10, p50 and p95 over --queries queries (perturbed
  copies of indexed vectors: near duplicates, as clause-lineage asks);
- recall@10 of those queries against exact search (streamed over the same chunks).

    python bench/bench_search_2m.py [--vectors 2000000] [--clauses 3000] [--in-memory]

Keep out of the test suite: it takes minutes and about 3 GB of disk.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tradelens.vectors.faiss_index import ivf_lists, recall  # noqa: E402
from tradelens.vectors.sharded_index import TRAIN_PER_LIST, build_sharded, exact_top_ids  # noqa: E402

CHUNK = 100_000
NOISE = 0.015


def real_clause_vectors(tota: Path, clauses: int) -> np.ndarray:
    """Static vectors of the first `clauses` distinct clause texts of ToTA (file order)."""
    from tradelens.text import read_document
    from tradelens.text.segment import segment
    from tradelens.vectors.sentence import SentenceEncoder
    from tradelens.vectors.static import StaticEncoder

    texts: dict[str, None] = {}
    for path in sorted(tota.glob("pta_*.xml")):
        for clause in segment(read_document(path)):
            texts.setdefault(" ".join(clause.text.split()), None)
        if len(texts) >= clauses:
            break
    return StaticEncoder(SentenceEncoder()).encode(list(texts)[:clauses])


def make_chunks(base: np.ndarray, total: int):  # noqa: ANN201
    """A function returning a fresh iterator over (ids, vectors) chunks of the synthetic
    workspace; the same vectors every time (each chunk seeded by its number)."""
    def chunks():
        for number, start in enumerate(range(0, total, CHUNK)):
            stop = min(total, start + CHUNK)
            rows = np.arange(start, stop)
            rng = np.random.default_rng(1000 + number)
            vectors = base[rows % len(base)] + rng.normal(0, NOISE, (len(rows), base.shape[1])
                                                          ).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            yield rows.astype(np.int64), vectors
    return chunks


def sample_rows(chunks, total: int, size: int, seed: int) -> np.ndarray:  # noqa: ANN001
    """`size` indexed vectors picked at random, one pass over the chunks."""
    rng = np.random.default_rng(seed)
    wanted = np.sort(rng.choice(total, size, replace=False))
    picked = []
    for ids, vectors in chunks():
        mask = np.isin(ids, wanted)
        picked.append(vectors[mask])
    return np.vstack(picked)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tota", type=Path,
                        default=ROOT.parent / "shared" / "corpora" / "tota" / "xml")
    parser.add_argument("--vectors", type=int, default=2_000_000)
    parser.add_argument("--clauses", type=int, default=3000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--in-memory", action="store_true",
                        help="keep the inverted lists in memory (default: on disk, mapped)")
    args = parser.parse_args()
    import faiss

    faiss.omp_set_num_threads(1)  # one query at a time, as a reader asks; no thread spin-up
    rows: list[tuple[str, str]] = []
    base = real_clause_vectors(args.tota, args.clauses)
    rows.append(("real ToTA clause vectors replicated", f"{len(base)}"))
    rows.append(("RSS after encoding them", f"{rss_mb():.0f} MB"))
    chunks = make_chunks(base, args.vectors)
    work = Path(tempfile.mkdtemp(prefix="tradelens-2m-"))
    try:
        started = time.perf_counter()
        lists = ivf_lists(args.vectors)
        training = sample_rows(chunks, args.vectors, min(args.vectors, lists * TRAIN_PER_LIST), 1)
        sample = sample_rows(chunks, args.vectors, 200, 2)
        ondisk = None if args.in_memory else work / "clauses.ivfdata"
        index, facts = build_sharded(args.vectors, training, chunks, sample, ondisk=ondisk)
        del training
        build = time.perf_counter() - started
        rows.append((f"build ({facts['kind']}, {facts['lists']} lists, nprobe "
                     f"{facts['nprobe']}, recall@10 on build sample {facts['recall_at_10']})",
                     f"{build:.0f} s"))
        rows.append(("peak RSS after the build", f"{rss_mb():.0f} MB"))
        if ondisk is not None:
            rows.append(("on-disk inverted lists", f"{ondisk.stat().st_size / 2**20:.0f} MB"))
        rng = np.random.default_rng(5)
        queries = sample_rows(chunks, args.vectors, args.queries, 3)
        queries = queries + rng.normal(0, 0.02, queries.shape).astype(np.float32)
        queries /= np.linalg.norm(queries, axis=1, keepdims=True)
        queries = np.ascontiguousarray(queries, dtype=np.float32)
        for q in queries[:20]:  # warm-up: the lists the first queries touch paged in
            index.search(q[None, :], 10)
        times, found = [], []
        for q in queries:
            t = time.perf_counter()
            found.append(index.search(q[None, :], 10)[1][0])
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        rows.append((f"search k=10, {len(times)} queries one at a time: p50",
                     f"{statistics.median(times):.2f} ms"))
        rows.append(("search: p95 (target < 20 ms)",
                     f"{times[int(0.95 * len(times)) - 1]:.2f} ms"))
        truth = exact_top_ids(chunks, queries, 10)
        rows.append(("recall@10 against exact search (target >= 0.95)",
                     f"{recall(truth, np.vstack(found)):.4f}"))
        rows.append(("peak RSS of the whole run", f"{rss_mb():.0f} MB"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f}, Python {platform.python_version()}, faiss "
          f"{faiss.__version__}, {time.strftime('%Y-%m-%d %H:%M')}, {args.vectors} vectors")
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value:>12}")


if __name__ == "__main__":
    main()
