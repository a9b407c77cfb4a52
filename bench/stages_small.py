"""Where one small draft's cold run goes, stage by stage, in wall and CPU seconds.

Each run is a new process and a new workspace (the machine's model cache as it is: static
table, ONNX export, exemplar vectors, model hash), doing what `tradelens analyse FILE` does
in the order it does it, with a timer around each stage; the median of the runs is
printed. CPU seconds are the process's own (user + system, all threads), so they mean
something on a shared machine where wall time does not. Run it with
`TRADELENS_SPEEDUPS=off` to see the run with the speed-ups off.

    python bench/stages_small.py [--runs 3] [--source DIR] [FILE]

`--source` runs another checkout's code (say `git archive main | tar -x -C DIR`) for a
before-and-after table.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_STAGES = r"""
import json, os, resource, sys, tempfile, time
from pathlib import Path

def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime

rows, last = [], [time.perf_counter(), cpu()]
def lap(label):
    now = [time.perf_counter(), cpu()]
    rows.append((label, now[0] - last[0], now[1] - last[1]))
    last[:] = now

rows.append(("interpreter start-up (before this script)", 0.0, cpu()))
import numpy as np
import tradelens.cli  # noqa: F401 - what `tradelens` imports before a command runs
lap("import the CLI (click, numpy)")
from tradelens.session import Session, configured_taxonomy
from tradelens.vectors.encoder import embed_with_cache, text_hash
lap("import the pipeline (tradelens.session: lxml, yaml, ...)")
taxonomy = configured_taxonomy()
lap("taxonomy (YAML, schema, patterns)")
work = Path(tempfile.mkdtemp(prefix="tradelens-stages-"))
session = Session(work / "store", None, taxonomy)
pipeline = session.pipeline
lap("workspace store + sentence model's hash + topic model")
document, clauses = pipeline.read(Path(sys.argv[1]))
hashes = [text_hash(c.text) for c in clauses]
lap("read + segment")
exemplars = pipeline.exemplar_vectors()
lap("exemplar sentence vectors")
classifier = pipeline.classifier
lap("classifier (FAISS import, exemplar index)")
candidates = classifier.first_pass(clauses, document.language)
candidates |= pipeline.semantic_candidates(clauses, hashes, document.language)
lap("first pass (words, static vectors)")
rows_kept = np.flatnonzero(candidates)
vectors = np.zeros((len(clauses), exemplars.shape[1]), dtype=np.float32)
if len(rows_kept):
    vectors[rows_kept] = embed_with_cache([clauses[i].text for i in rows_kept],
                                          pipeline.encoder, pipeline.cache)
lap(f"sentence model on {len(rows_kept)} of {len(clauses)} clauses (incl. ONNX session)")
lang = pipeline.taxonomy.reading_language(document.language)
classification = classifier.classify(
    clauses, vectors, document.language, candidates=candidates,
    topic_vectors=pipeline.topic_vectors(clauses, candidates, document.language, hashes))
tools = classifier._language_tools(lang)
built = getattr(tools, "built", True)  # older code: eager
backend = "spaCy" if type(tools).__name__ == "LanguageTools" else "pure Python"
lap(f"classify (topic model n-grams, modality: {backend}" + ("" if built else " not needed") + ")")
from tradelens.analysis import Analysis
analysis = Analysis(document, clauses, hashes, classification, vectors)
report = pipeline.report(analysis)
lap("report contract + schema validation")
pipeline.index_vectors(analysis)
session.close()
lap("static vectors, index rebuild, close")
print(json.dumps(rows))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path,
                        default=ROOT / "corpora" / "samples" / "cooperation_framework.txt")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--source", type=Path, default=ROOT,
                        help="the checkout whose tradelens package runs (default: this one)")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(args.source.resolve())}
    runs = []
    for _ in range(args.runs):
        done = subprocess.run([sys.executable, "-c", _STAGES, str(args.file.resolve())],
                              cwd=args.source, env=env, text=True, capture_output=True, check=True)
        runs.append(json.loads(done.stdout.splitlines()[-1]))
    labels = [row[0] for row in runs[0]]
    width = max(map(len, labels))
    total_wall = total_cpu = 0.0
    print(f"{'stage':<{width}}  {'wall s':>7}  {'CPU s':>7}   (median of {args.runs}, "
          f"load average {os.getloadavg()[0]:.1f})")
    for i, label in enumerate(labels):
        wall = statistics.median(run[i][1] for run in runs)
        cpu = statistics.median(run[i][2] for run in runs)
        total_wall, total_cpu = total_wall + wall, total_cpu + cpu
        print(f"{label:<{width}}  {wall:7.2f}  {cpu:7.2f}")
    print(f"{'total':<{width}}  {total_wall:7.2f}  {total_cpu:7.2f}")


if __name__ == "__main__":
    main()
