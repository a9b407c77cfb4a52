"""Benchmark: CLI start-up, sample corpus and TPP, cold and warm, with peak memory.

Prints a table; asserts nothing (speed belongs here, not in tests). Every run goes through
the real `tradelens` command in a subprocess, so import and model-load costs are counted.

    python bench/bench_analyse.py [--tota ../shared/corpora/tota/xml]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRADELENS = [sys.executable, "-m", "tradelens.cli"]


def _run(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one CLI run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(TRADELENS + args, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        sys.exit(f"tradelens {' '.join(args)} failed:\n{done.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tota", type=Path,
                        default=ROOT.parent / "shared" / "corpora" / "tota" / "xml")
    args = parser.parse_args()
    rows: list[tuple[str, str]] = []

    help_times = []
    for _ in range(5):
        started = time.perf_counter()
        subprocess.run(TRADELENS + ["--help"], capture_output=True, check=True)
        help_times.append(time.perf_counter() - started)
    rows.append(("tradelens --help (median of 5)", f"{statistics.median(help_times):.2f} s"))

    work = Path(tempfile.mkdtemp(prefix="tradelens-bench-"))
    try:
        targets = [("samples (6 agreements)", ROOT / "corpora" / "samples")]
        tpp = args.tota / "pta_449.xml"
        if tpp.is_file():
            targets.append(("TPP pta_449.xml", tpp))
        for label, path in targets:
            store, out = work / f"store-{len(rows)}", work / f"out-{len(rows)}"
            common = [str(path), "--out", str(out), "--store", str(store), "--quiet"]
            cold, rss_cold = _run(["analyse", *common])
            warm, _ = _run(["analyse", *common])
            rerun, _ = _run(["analyse", *common, "--force"])
            rows.append((f"{label}: cold", f"{cold:.1f} s"))
            rows.append((f"{label}: warm (unchanged, from the store)", f"{warm:.1f} s"))
            rows.append((f"{label}: forced re-analysis, embeddings cached", f"{rerun:.1f} s"))
            rows.append((f"{label}: peak RSS so far", f"{rss_cold:.0f} MB"))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, {time.strftime('%Y-%m-%d')}")
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value:>10}")


if __name__ == "__main__":
    main()
