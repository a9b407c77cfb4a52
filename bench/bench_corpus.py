"""Benchmark: the whole ToTA corpus and the TPP, cold and warm; search latency; memory.

Prints a table and asserts nothing (speed belongs here, not in tests). Analysis runs go
through the real `tradelens` command in a subprocess; search latency is measured in-process
over 200 queries (100 clause ids, 100 texts), after the workspace is open, because that is
what a reader waits for. Peak memory is the sum of the proportional set size (PSS) of the
command and its worker processes, sampled every 0.2 s: shared library pages are counted
once, not once per process.

"Cold" means a new workspace and an empty model cache (`TRADELENS_CACHE` pointed at a new
directory), so the one-off distillation of the static token table is included; the
figure without it is printed too.

    python bench/bench_corpus.py [--tota ../shared/corpora/tota/xml] [--quick]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRADELENS = [sys.executable, "-m", "tradelens.cli"]


def _pss_mb(pid: int) -> float:
    """PSS of a process and all its descendants, in MB."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup") as handle:
                total += next(int(line.split()[1]) for line in handle if line.startswith("Pss:"))
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    pending += [int(child) for child in handle.read().split()]
        except (OSError, StopIteration):
            continue
    return total / 1024


def run(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds, peak PSS (MB) and stdout of one CLI run."""
    started = time.perf_counter()
    process = subprocess.Popen(TRADELENS + args, cwd=ROOT, env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = 0.0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _pss_mb(process.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    done.set()
    sampler.join()
    if process.returncode not in (0, 1):
        sys.exit(f"tradelens {' '.join(args)} failed:\n{err}")
    return time.perf_counter() - started, peak, out


def search_latency(store: Path, queries: int = 200) -> tuple[float, float, dict]:
    """p50 and p95 milliseconds of `ClauseSearch.similar` (k=10) and the index facts."""
    from tradelens.workspace import open_workspace

    workspace = open_workspace(store)
    search = workspace.search
    rows = workspace.store.clause_texts()
    rng = random.Random(1)
    picked = rng.sample(rows, queries)
    asks = [clause_id for clause_id, _ in picked[: queries // 2]]
    asks += [" ".join(text.split()[:30]) for _, text in picked[queries // 2:]]
    search.similar(asks[0])  # warm-up: tokenizer and table loaded
    times = []
    for ask in asks:
        started = time.perf_counter()
        search.similar(ask, k=10)
        times.append((time.perf_counter() - started) * 1000)
    facts = search.facts
    workspace.close()
    times.sort()
    return statistics.median(times), times[int(0.95 * len(times)) - 1], facts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tota", type=Path,
                        default=ROOT.parent / "shared" / "corpora" / "tota" / "xml")
    parser.add_argument("--quick", action="store_true",
                        help="TPP and search only (search over the TPP's workspace)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tradelens-bench-"))
    env = {**os.environ, "TRADELENS_CACHE": str(work / "model-cache")}
    rows: list[tuple[str, str, str]] = []
    try:
        tpp = args.tota / "pta_449.xml"
        common = ["--out", str(work / "tpp-out"), "--store", str(work / "tpp-store"),
                  "--format", "json", "--quiet"]
        seconds, peak, _ = run(["analyse", str(tpp), *common], env)
        rows.append(("TPP pta_449: cold (new workspace, new model cache)", f"{seconds:.1f} s",
                     "20 s"))
        shutil.rmtree(work / "tpp-store")
        seconds, peak2, _ = run(["analyse", str(tpp), *common], env)
        rows.append(("TPP: cold workspace, static table already distilled", f"{seconds:.1f} s",
                     "20 s"))
        seconds, _, _ = run(["analyse", str(tpp), *common], env)
        rows.append(("TPP: warm (unchanged, from the store)", f"{seconds:.1f} s", "2 s"))
        rows.append(("TPP: peak memory (PSS)", f"{max(peak, peak2):.0f} MB", "3 GB"))
        store = work / "tpp-store"
        if not args.quick:
            common = ["--out", str(work / "tota-out"), "--store", str(work / "tota-store"),
                      "--format", "json,csv", "--quiet"]
            shutil.rmtree(work / "model-cache")
            seconds, peak, _ = run(["analyse", str(args.tota), *common], env)
            rows.append(("ToTA 450 agreements: cold (new workspace, new model cache)",
                         f"{seconds:.0f} s", "600 s"))
            rows.append(("ToTA: peak memory (PSS, command + workers)", f"{peak:.0f} MB",
                         "3 GB"))
            seconds, _, _ = run(["analyse", str(args.tota), *common], env)
            rows.append(("ToTA: warm (unchanged, from the store)", f"{seconds:.1f} s", "30 s"))
            store = work / "tota-store"
        os.environ["TRADELENS_CACHE"] = env["TRADELENS_CACHE"]
        p50, p95, facts = search_latency(store)
        rows.append((f"search k=10 over {facts['vectors']} clauses ({facts['kind']}, "
                     f"recall@10 {facts['recall_at_10']}): p50", f"{p50:.1f} ms", ""))
        rows.append(("search: p95", f"{p95:.1f} ms", "50 ms"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, {time.strftime('%Y-%m-%d')}")
    width = max(len(label) for label, _, _ in rows)
    print(f"{'measurement':<{width}}  {'figure':>10}  target")
    for label, value, target in rows:
        print(f"{label:<{width}}  {value:>10}  {target}")


if __name__ == "__main__":
    main()
