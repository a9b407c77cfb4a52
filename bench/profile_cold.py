"""Where a cold run's time goes: cProfile over a handful of ToTA files, in one process.
Stages nest (the topic screen runs e5 for Spanish and French), so shares do not add up.

A new workspace, the machine's model cache as it is (static table, ONNX export), one
process (`workers=1`), so each stage's cumulative time is a share of one core's work.
Prints the share of each pipeline stage; run it with TRADELENS_ENCODER=torch to see the
run with the speed-ups off, and with PROFILE_DUMP=FILE to keep the whole profile for
`pstats` (function by function).

    python bench/profile_cold.py [pta_300 pta_100 ...]
"""

from __future__ import annotations

import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TOTA = ROOT.parent / "shared" / "corpora" / "tota" / "xml"
FILES = ("pta_425", "pta_300", "pta_100", "pta_1", "pta_10")

#: (label, file suffix, function name): cumulative time of each.
STAGES = (
    ("imports of tradelens.session (numpy, lxml, ...)", None, None),
    ("read + segment (XML, lxml)", "analysis.py", "read_versions"),
    ("first pass by words (topic cues, broad words)", "clauses.py", "first_pass"),
    ("first pass by meaning (static vectors)", "analysis.py", "semantic_candidates"),
    ("topic screen (cues, n-grams; e5 for es/fr)", "analysis.py", "_screen"),
    ("multilingual encoder, e5 (es/fr; any stage)", "e5_onnx.py", "encode"),
    ("sentence model, MiniLM (incl. its load)", "sentence.py", "encode"),
    ("  of which model load / ONNX session", None, "_load|load"),
    ("classify (cues, exemplars, modality)", "clauses.py", "classify"),
    ("report contract + JSON schema validation", "analysis.py", "report"),
    ("static vectors of every clause", "analysis.py", "index_vectors"),
    ("embedding cache writes (SQLite)", "store.py", "put_embeddings"),
    ("store the agreements (SQLite)", "batch.py", "save"),
    ("index rebuild (FAISS)", "index.py", "rebuild_index"),
    ("write outputs", "writers.py", "write_outputs"),
)


def main() -> None:
    names = sys.argv[1:] or list(FILES)
    files = [TOTA / f"{n}.xml" for n in names]
    started = time.perf_counter()
    profiler = cProfile.Profile()
    profiler.enable()
    from tradelens.session import Session

    imported = time.perf_counter() - started
    work = Path(tempfile.mkdtemp(prefix="tradelens-profile-"))
    session = Session(work / "store")
    result = session.analyse_paths(files, work / "out", ["json"], progress=False, workers=1)
    session.close()
    profiler.disable()
    total = time.perf_counter() - started
    stats = pstats.Stats(profiler)
    if os.environ.get("PROFILE_DUMP"):
        stats.dump_stats(os.environ["PROFILE_DUMP"])
    cumulative: dict[tuple[str, str], float] = {}
    for (path, _line, function), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():
        key = (os.path.basename(path), function)
        cumulative[key] = max(cumulative.get(key, 0.0), ct)
    print(f"{len(files)} files, {result.clauses} clauses, backend "
          f"{session.pipeline.encoder.backend}, load average {os.getloadavg()[0]:.1f}, "
          f"wall {total:.1f} s (profiled)")
    for label, suffix, function in STAGES:
        if suffix is None and function is None:
            seconds = imported
        elif suffix is None:
            wanted = set(function.split("|"))
            seconds = max((v for (f, fn), v in cumulative.items()
                           if fn in wanted and f in ("onnx_backend.py", "sentence.py")),
                          default=0.0)
        else:
            seconds = cumulative.get((suffix, function), 0.0)
        print(f"{label:<50} {seconds:8.2f} s {100 * seconds / total:5.1f} %")


if __name__ == "__main__":
    main()
