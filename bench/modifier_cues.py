"""What finding the modifiers' cues costs, and a fingerprint of what they find.

Reads a seeded sample of ToTA agreements (every language), then runs every modifier's cues
over every clause, as the classifier does for each clause it classifies, and prints the
seconds taken, the clauses read, the modifier statements found and a SHA-256 of every
evidence span: two versions of the cues that find the same spans print the same digest.

    python bench/modifier_cues.py [--files 120] [--repeat 3] [--tota ../shared/corpora/tota/xml]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import time
from pathlib import Path

from tradelens.analysis import Pipeline
from tradelens.classify.modifiers import modifier_evidence
from tradelens.errors import TradeLensError


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=120)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--tota", type=Path,
                        default=Path(__file__).resolve().parents[2] / "shared" / "corpora"
                        / "tota" / "xml")
    args = parser.parse_args()
    paths = sorted(args.tota.glob("*.xml"))
    sample = random.Random(19).sample(paths, min(args.files, len(paths)))
    pipeline = Pipeline()
    documents = []
    for path in sample:
        try:
            document, clauses = pipeline.read(path)
        except TradeLensError as error:
            print(f"skipped {path.name}: {error}")
            continue
        lang = pipeline.taxonomy.reading_language(document.language)  # as the classifier
        documents.append((lang, [(" / ".join(c.headings) or None, c.text) for c in clauses]))
    modifiers = list(pipeline.taxonomy.modifiers.values())
    clauses = sum(len(texts) for _, texts in documents)
    timings = []
    for _ in range(args.repeat):
        digest = hashlib.sha256()
        found = 0
        started = time.perf_counter()
        for lang, texts in documents:
            for headings, text in texts:
                for modifier in modifiers:
                    spans = modifier_evidence(modifier, headings, text, lang)
                    if spans:
                        found += 1
                        digest.update(repr((modifier.id, text[:40], spans)).encode())
        timings.append(time.perf_counter() - started)
    timings.sort()
    print(f"{len(documents)} agreements, {clauses} clauses, {len(modifiers)} modifiers")
    print(f"seconds (median of {args.repeat}): {timings[len(timings) // 2]:.2f}"
          f"  (runs: {', '.join(f'{t:.2f}' for t in timings)})")
    print(f"modifier statements: {found}  evidence digest: {digest.hexdigest()[:16]}")


if __name__ == "__main__":
    main()
