"""What the topic screen saves: ToTA agreements classified with it and without, in-process.

For each setting a new `Pipeline` without a workspace (so every vector is computed), one
process, both cores for the encoders; prints the candidates, the clauses read fully, the
texts each encoder embedded, the seconds, and whether the findings are identical.

    python bench/topic_screen.py [--files 24] [--tota ../shared/corpora/tota/xml]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tradelens.analysis import Pipeline  # noqa: E402
from tradelens.errors import TradeLensError  # noqa: E402
from tradelens.text import read_document  # noqa: E402


def sample(tota: Path, count: int) -> list[Path]:
    """Every n-th agreement by size within each language, each language in proportion to
    its share of the corpus and at least four, so that the screen's English estimate and
    its exact Spanish and French bound are both exercised."""
    by_language: dict[str, list[Path]] = {}
    for path in sorted(tota.glob("pta_*.xml"), key=lambda p: p.stat().st_size):
        try:
            language = read_document(path).language or "?"
        except TradeLensError:
            continue
        by_language.setdefault(language, []).append(path)
    total = sum(len(files) for files in by_language.values())
    chosen = []
    for files in by_language.values():
        share = max(4, round(count * len(files) / total))
        step = max(1, len(files) // share)
        chosen += files[step // 2::step][:share]
    return chosen


def run(files: list[Path], screen: str) -> dict:
    os.environ["TRADELENS_TOPIC_SCREEN"] = screen
    pipeline = Pipeline()
    pipeline.prepare()
    pipeline.encoder.encoded = 0
    figures = {"candidates": 0, "read": 0, "seconds": 0.0, "findings": set(),
               "by language": {}}
    for path in files:
        try:
            document, clauses = pipeline.read(path)
        except TradeLensError:
            continue
        started = time.perf_counter()
        kept = pipeline.classifier.first_pass(clauses, document.language) | \
            pipeline.semantic_candidates(clauses, None, document.language)
        result, vectors = pipeline.classify_clauses(clauses, document.language)
        seconds = time.perf_counter() - started
        figures["seconds"] += seconds
        language = document.language or "?"
        figures["by language"][language] = figures["by language"].get(language, 0.0) + seconds
        figures["candidates"] += int(kept.sum())
        figures["read"] += int((np.abs(vectors).sum(axis=1) > 0).sum())
        figures["findings"] |= {(f.clause.clause_id, f.category, f.strength,
                                 round(f.confidence, 6)) for f in result.findings}
    figures["sentence model"] = pipeline.encoder.encoded
    figures["multilingual"] = pipeline.multilingual.encoded
    return figures


def main() -> None:
    """Both settings on the same sample; figures side by side."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=24)
    parser.add_argument("--tota", type=Path, default=Path("../shared/corpora/tota/xml"))
    args = parser.parse_args()
    files = sample(args.tota, args.files)
    print(f"{len(files)} ToTA agreements, {sum(p.stat().st_size for p in files) / 1e6:.1f} MB")
    on, off = run(files, "on"), run(files, "off")
    print(f"{'':28} {'screen on':>12} {'screen off':>12}")
    for key in ("candidates", "read", "sentence model", "multilingual"):
        print(f"{key:28} {on[key]:>12,} {off[key]:>12,}")
    print(f"{'seconds (classify_clauses)':28} {on['seconds']:>12.1f} {off['seconds']:>12.1f}")
    for language in sorted(on["by language"]):
        print(f"{'  of which ' + language:28} {on['by language'][language]:>12.1f} "
              f"{off['by language'][language]:>12.1f}")
    same = on["findings"] == off["findings"]
    print(f"findings: {len(on['findings'])} with, {len(off['findings'])} without; "
          f"{'identical' if same else 'DIFFERENT'}")


if __name__ == "__main__":
    main()
