"""Benchmark: per-block language detection (`text/language.block_language`) on ToTA
paragraphs, the unit a parallel bilingual layout is split by.

Each ToTA agreement names its language in its metadata; every paragraph-level clause of
at least `--min-words` words is one block. Prints, per language: blocks, share detected
correctly, share left undecided (None), share detected wrongly, and the blocks per second;
then the same for the document-level `detect_language` used on the same blocks, as the
yardstick. Asserts nothing.

    python bench/bench_language.py [--tota ../shared/corpora/tota/xml] [--min-words 8]
                                   [--first-words 8]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tradelens.text import read_document  # noqa: E402
from tradelens.text.language import block_language, detect_language  # noqa: E402
from tradelens.text.segment import segment  # noqa: E402

_WORD = re.compile(r"\w+")


def tota_blocks(tota: Path, min_words: int) -> list[tuple[str, str, str]]:
    """(agreement, language from the metadata, paragraph text) for every paragraph."""
    blocks = []
    for path in sorted(tota.glob("*.xml")):
        document = read_document(path)
        if document.language not in ("en", "es", "fr"):
            continue
        for clause in segment(document):
            if len(_WORD.findall(clause.text)) >= min_words:
                blocks.append((path.stem, document.language, clause.text))
    return blocks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tota", type=Path, default=ROOT.parent / "shared/corpora/tota/xml")
    parser.add_argument("--min-words", type=int, default=8)
    parser.add_argument("--first-words", type=int, default=0,
                        help="judge only the first N words of each paragraph (a printed "
                             "line of a narrow column holds 6 to 10)")
    args = parser.parse_args()
    blocks = tota_blocks(args.tota, args.min_words)
    if args.first_words:
        blocks = [(name, language, " ".join(text.split()[:args.first_words]))
                  for name, language, text in blocks]
    for name, detector in (("block_language", block_language),
                           ("detect_language (the document-level shares)", detect_language)):
        print(f"\n== {name}")
        report(blocks, detector, args.min_words)


def report(blocks: list[tuple[str, str, str]], detector, min_words: int) -> None:  # noqa: ANN001
    started = time.perf_counter()
    found = [detector(text) for _, _, text in blocks]
    seconds = time.perf_counter() - started
    totals: Counter[str] = Counter()
    right: Counter[str] = Counter()
    undecided: Counter[str] = Counter()
    wrong: Counter[tuple[str, str]] = Counter()
    for (_, language, _), detected in zip(blocks, found, strict=True):
        totals[language] += 1
        if detected == language:
            right[language] += 1
        elif detected is None:
            undecided[language] += 1
        else:
            wrong[(language, detected)] += 1
    agreements = len({name for name, _, _ in blocks})
    print(f"ToTA paragraphs of at least {min_words} words, {agreements} agreements")
    print(f"{'language':<9}{'blocks':>9}{'correct':>10}{'undecided':>11}{'wrong':>8}")
    for language in ("en", "es", "fr", "all"):
        n = sum(totals.values()) if language == "all" else totals[language]
        ok = sum(right.values()) if language == "all" else right[language]
        none = sum(undecided.values()) if language == "all" else undecided[language]
        if n:
            print(f"{language:<9}{n:>9}{ok / n:>10.4f}{none / n:>11.4f}"
                  f"{(n - ok - none) / n:>8.4f}")
    print("wrong, as (metadata, detected):", dict(wrong.most_common(6)))
    print(f"{len(blocks) / seconds:,.0f} blocks per second")


if __name__ == "__main__":
    main()
