"""Benchmark: cold runs, with the naive all-MiniLM yardstick in the same run.

Prints, asserts nothing (these machines are noisy: compare the rows of one run):

- `tradelens --help`, median of 5;
- one small file cold through the CLI (a new workspace; the machine's model cache, the
  static table and the ONNX export, already made), median of 3, and its peak memory,
  with the ONNX backend (default) and with `TRADELENS_ENCODER=torch` (speed-ups off);
- the chosen ToTA files cold (a new workspace) with the local process pool and with a
  two-worker Dask LocalCluster, and whether the two runs' findings are identical to a run
  with `TRADELENS_ENCODER=torch`;
- the yardstick: every clause of the same files read, segmented and embedded by MiniLM
  with sentence-transformers on every core (what TradeLens would cost with no first pass).

    python bench/bench_cold.py [--files 450] [--small corpora/samples/cooperation_framework.txt]
                               [--no-torch-corpus] [--no-yardstick]

With all 450 files this takes tens of minutes (the yardstick alone about 25).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from bench_corpus import run  # noqa: E402

TRADELENS = [sys.executable, "-m", "tradelens.cli"]


def findings(out: Path) -> dict[str, list]:
    """Per agreement, its findings as (category, clause, strength, confidence): what must
    not move when a speed-up is switched on."""
    table = {}
    for path in sorted(out.glob("*.json")):
        report = json.loads(path.read_text())
        if isinstance(report, dict) and report.get("schema") == "tradelens.report/1":
            table[report["agreement"]["id"]] = sorted(
                (category, f["clause_id"], f["strength"], f["confidence"])
                for category, block in report["categories"].items()
                for f in block["findings"])
    return table


def yardstick(files: list[Path]) -> tuple[float, int]:
    """Seconds and clauses: read, segment, embed every clause with MiniLM (torch)."""
    code = f"""
import sys, time
from pathlib import Path
started = time.perf_counter()
from tradelens.text import read_document
from tradelens.text.segment import segment
from tradelens.vectors.sentence import SentenceEncoder
texts = [c.text for p in {[str(f) for f in files]!r} for c in segment(read_document(Path(p)))]
SentenceEncoder()._torch_encode(texts)
print(time.perf_counter() - started, len(texts))
"""
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, text=True,
                          capture_output=True, check=True)
    seconds, clauses = done.stdout.split()
    return float(seconds), int(clauses)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tota", type=Path,
                        default=ROOT.parent / "shared" / "corpora" / "tota" / "xml")
    parser.add_argument("--files", type=int, default=450, help="ToTA files (largest-first "
                        "order is the batch's; these are the first N by name)")
    parser.add_argument("--small", type=Path,
                        default=ROOT / "corpora" / "samples" / "cooperation_framework.txt")
    parser.add_argument("--no-torch-corpus", action="store_true",
                        help="skip the corpus run with the speed-ups off")
    parser.add_argument("--no-yardstick", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tradelens-cold-"))
    env = dict(os.environ)
    rows: list[tuple[str, str, str]] = []
    try:
        times = []
        for _ in range(5):
            started = time.perf_counter()
            subprocess.run([*TRADELENS, "--help"], cwd=ROOT, env=env, check=True,
                           capture_output=True)
            times.append(time.perf_counter() - started)
        rows.append(("tradelens --help (median of 5)", f"{statistics.median(times):.2f} s",
                     "< 0.3 s"))
        # make sure the machine's model cache exists (static table, ONNX export)
        run(["analyse", str(args.small), "--out", str(work / "warmup"), "--store",
             str(work / "warmup-store"), "--quiet"], env)
        for backend in ("onnx", "torch"):
            seconds, peaks = [], []
            for n in range(3):
                s, peak, _ = run(["analyse", str(args.small), "--out", str(work / "o"),
                                  "--store", str(work / f"small-{backend}-{n}"),
                                  "--format", "json", "--quiet"],
                                 {**env, "TRADELENS_ENCODER": backend})
                seconds.append(s)
                peaks.append(peak)
            rows.append((f"one small file cold, CLI, {backend} (median of 3)",
                         f"{statistics.median(seconds):.2f} s", "<= 3 s" if backend == "onnx"
                         else "speed-ups off"))
            rows.append((f"  peak memory (PSS), {backend}", f"{max(peaks):.0f} MB",
                         "<= 400 MB" if backend == "onnx" else ""))
        files = sorted(args.tota.glob("pta_*.xml"),
                       key=lambda p: int(p.stem.split("_")[1]))[: args.files]
        batch = work / "in"
        batch.mkdir()
        for path in files:
            (batch / path.name).symlink_to(path)
        runs = {"processes": ["--executor", "processes"],
                "dask": ["--executor", "dask", "--workers", "2"]}
        if not args.no_torch_corpus:
            runs["torch"] = ["--executor", "processes"]
        seen = {}
        for name, extra in runs.items():
            out = work / f"out-{name}"
            run_env = {**env, "TRADELENS_ENCODER": "torch" if name == "torch" else "onnx"}
            seconds, peak, _ = run(["analyse", str(batch), "--out", str(out), "--store",
                                    str(work / f"store-{name}"), "--format", "json",
                                    "--quiet", *extra], run_env)
            seen[name] = findings(out)
            label = {"processes": "process pool", "dask": "Dask LocalCluster, 2 workers",
                     "torch": "process pool, speed-ups off (torch)"}[name]
            rows.append((f"{len(files)} ToTA files cold, {label}", f"{seconds:.0f} s",
                         "<= 180 s (450 files)" if name == "processes" else
                         "within 15 % of the pool" if name == "dask" else ""))
            rows.append((f"  peak memory (PSS), {name}", f"{peak:.0f} MB", "< 3 GB"))
        for name in ("dask", "torch"):
            if name in seen:
                rows.append((f"findings identical: processes vs {name}",
                             str(seen[name] == seen["processes"]), "True"))
        if not args.no_yardstick:
            seconds, clauses = yardstick(files)
            rows.append((f"yardstick: all-MiniLM over every clause ({clauses})",
                         f"{seconds:.0f} s", ""))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f}, Python {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d %H:%M')}")
    width = max(len(label) for label, _, _ in rows)
    for label, value, target in rows:
        print(f"{label:<{width}}  {value:>10}  {target}")


if __name__ == "__main__":
    main()
