"""Benchmark: `tradelens export` of a whole-corpus workspace, warm (target under 30 s).

Prints figures and asserts nothing. "Warm" means the workspace is already analysed (the
export never classifies anything) and the files are in the page cache: the first, cold run
is printed too, then the median of the warm runs. Each run is the real command in a
subprocess, CSV and Parquet, into a temporary directory.

    python bench/bench_export.py [STORE] [--runs 3]

STORE defaults to a workspace of the ToTA corpus built beside the repository with
`tradelens analyse ../shared/corpora/tota/xml --store ../tota-store --format json`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRADELENS = [sys.executable, "-m", "tradelens.cli"]


def _export(store: Path, to: Path) -> float:
    started = time.perf_counter()
    subprocess.run([*TRADELENS, "export", "--store", str(store), "--to", str(to)],
                   check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", nargs="?", type=Path, default=ROOT.parent / "tota-store")
    parser.add_argument("--runs", type=int, default=3, help="warm runs after the first")
    args = parser.parse_args()
    if not (args.store / "tradelens.sqlite").is_file():
        sys.exit(f"no workspace at {args.store}: build one with `tradelens analyse "
                 f"../shared/corpora/tota/xml --store {args.store} --format json` first")
    with tempfile.TemporaryDirectory(prefix="tradelens-export-") as tmp:
        out = Path(tmp)
        first = _export(args.store, out / "first")
        warm = [_export(args.store, out / f"warm{n}") for n in range(args.runs)]
        meta = json.loads((out / "first" / "metadata.json").read_text())
        sizes = {p.name: p.stat().st_size for p in sorted((out / "first").iterdir())}
    print(f"workspace: {args.store} ({meta['agreements']} agreements, panel to "
          f"{meta['panel_until']})")
    for name, body in meta["tables"].items():
        print(f"  {name:<10} {body['rows']:>10,} rows  csv {sizes[name + '.csv'] / 1e6:7.1f} MB"
              f"  parquet {sizes[name + '.parquet'] / 1e6:6.1f} MB")
    print(f"export, first run:        {first:6.1f} s")
    print(f"export, warm (median of {len(warm)}): {statistics.median(warm):6.1f} s "
          f"(runs: {', '.join(f'{w:.1f}' for w in warm)}; target 30 s)")


if __name__ == "__main__":
    main()
