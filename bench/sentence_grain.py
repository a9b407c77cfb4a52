"""What reading long paragraphs at the sentence grain costs, and what it changes.

Classifies a seeded sample of ToTA agreements (Spanish and French ones included) twice with
one warm Pipeline and no store: once as shipped, once with the sentence reading switched
off. Prints clauses, long candidate paragraphs, sentences read, seconds for each run and
the findings that differ. Nothing is cached between the runs except the models.

    python bench/sentence_grain.py [--files 40] [--tota ../shared/corpora/tota/xml]
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

import numpy as np

from tradelens.analysis import Pipeline
from tradelens.errors import TradeLensError


def run(pipeline: Pipeline, documents: list, grain: bool) -> tuple[float, int, set]:
    original = pipeline.read_sentences
    read = 0

    def counted(picked, language):  # noqa: ANN001, ANN202
        nonlocal read
        reading = original(picked, language) if grain else None
        read += len(reading.rows) if reading else 0
        return reading

    pipeline.read_sentences = counted  # type: ignore[method-assign]
    findings = set()
    started = time.perf_counter()
    try:
        for document, clauses in documents:
            result, _ = pipeline.classify_clauses(clauses, document.language)
            findings |= {(f.clause.clause_id, f.category, f.strength) for f in result.findings}
    finally:
        pipeline.read_sentences = original  # type: ignore[method-assign]
    return time.perf_counter() - started, read, findings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=40)
    parser.add_argument("--tota", type=Path, default=Path("../shared/corpora/tota/xml"))
    args = parser.parse_args()
    pipeline = Pipeline()
    files = sorted(args.tota.glob("*.xml"))
    random.Random(3).shuffle(files)
    documents = []
    for path in files[:args.files]:
        try:
            documents.append(pipeline.read(path))
        except TradeLensError:
            continue
    clauses = sum(len(c) for _, c in documents)
    run(pipeline, documents[:2], True)  # warm the models
    off_s, _, off = run(pipeline, documents, False)
    on_s, read, on = run(pipeline, documents, True)
    long = sum(1 for document, cs in documents
               for row in np.flatnonzero(pipeline.classifier.first_pass(cs, document.language))
               if len(cs[row].text.split()) >= 60)
    languages = sorted({d.language or "?" for d, _ in documents})
    print(f"{len(documents)} agreements ({', '.join(languages)}), {clauses} clauses, "
          f"{long} long paragraphs among the cue/first-pass candidates")
    print(f"sentence grain off: {off_s:7.1f} s, {len(off)} findings")
    print(f"sentence grain on:  {on_s:7.1f} s, {len(on)} findings, {read} sentences read "
          f"({on_s / off_s:.2f}x)")
    for label, items in (("only with the grain", on - off), ("only without", off - on)):
        for item in sorted(items):
            print(f"  {label}: {item}")


if __name__ == "__main__":
    main()
