"""How far the topic screen's 8-bit first look moves the multilingual head, and what it settles.

Reads every Spanish and French ToTA agreement's screen inputs (candidates and chosen
sentences), and the Spanish and French labelled clauses written out (tests/data/eval and
eval_ood), with the full multilingual graph and with its 8-bit copy, and prints per part
(the even-numbered agreements, on which `EIGHT_BIT_MARGIN` was set, and the labelled
training clauses, `dev` and `corpus`; held out: the odd-numbered agreements and the
`heldout` and `test` clauses): the inputs, the largest and 99th-percentile change of the
head's term, how many the exact screen keeps, and for several margins how many the first
look keeps and how many exact-kept inputs it would lose. One process, one thread per
encoder, no workspace.

    python bench/eight_bit_screen.py [--tota ../shared/corpora/tota/xml]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tradelens.analysis import Pipeline  # noqa: E402
from tradelens.classify.screen import EIGHT_BIT_MARGIN, passes  # noqa: E402
from tradelens.commands.evaluate import load_eval_set  # noqa: E402
from tradelens.commands.screen_fit import candidate_texts, reading_parts  # noqa: E402
from tradelens.vectors.encoder import MemoryCache  # noqa: E402

MARGINS = (1.0, 1.5, EIGHT_BIT_MARGIN, 2.5, 3.0)
ROOT = Path(__file__).resolve().parents[1]
LABELLED = (ROOT / "tests" / "data" / "eval", ROOT / "tests" / "data" / "eval_ood")
FITTING = ("dev", "corpus")


def spanish_and_french(tota: Path) -> list[Path]:
    return sorted((p for p in tota.glob("pta_*.xml")
                   if re.search(r"<language>(es|fr)<", p.read_text(errors="ignore")[:4000])),
                  key=lambda p: int(re.findall(r"\d+", p.stem)[0]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tota", type=Path,
                        default=Path(__file__).resolve().parents[2] / "shared" / "corpora"
                        / "tota" / "xml")
    args = parser.parse_args()
    pipeline = Pipeline(cache=MemoryCache())
    pipeline.encoder.threads = 1
    pipeline.multilingual.threads = 1
    reading = pipeline.first_look("multilingual")
    if reading is None:
        sys.exit("no 8-bit first look here (switched off, or its graph failed its check)")
    head = pipeline.topic_model.screen["multilingual"]
    parts: dict[str, list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = {
        "even-numbered agreements (margin set here)": [],
        "labelled training clauses (dev, corpus)": [],
        "odd-numbered agreements (held out)": [],
        "labelled heldout and test clauses (held out)": []}
    names = list(parts)
    seconds = {"full": 0.0, "8-bit": 0.0}

    def measure(part: str, lang: str, texts: list[str]) -> None:
        start = time.perf_counter()
        known, _, needed, full = reading_parts(pipeline, texts, lang)
        seconds["full"] += time.perf_counter() - start
        start = time.perf_counter()
        near = reading.encode(texts)
        seconds["8-bit"] += time.perf_counter() - start
        parts[part].append((head.estimate(near) - head.estimate(full),
                            passes(head.bounds(known, full), needed),
                            head.bounds(known, near) - needed))

    for path in spanish_and_french(args.tota):
        lang, texts = candidate_texts(pipeline, path)
        if texts:
            odd = int(re.findall(r"\d+", path.stem)[0]) % 2
            measure(names[2 if odd else 0], lang, texts)
    for directory in LABELLED:
        items = [i for i in load_eval_set(directory, pipeline.taxonomy)
                 if i.lang in ("es", "fr") and i.text]
        for lang in ("es", "fr"):
            for fitting in (True, False):
                texts = [i.text for i in items if i.lang == lang and
                         (i.split in FITTING) == fitting]
                if texts:
                    measure(names[1 if fitting else 3], lang, texts)
    print(f"margin in use: {EIGHT_BIT_MARGIN}; seconds: full reading (with the "
          f"classifier's parts) {seconds['full']:.0f}, 8-bit graph {seconds['8-bit']:.0f}")
    for part, rows in parts.items():
        if not rows:
            continue
        moved = np.abs(np.concatenate([r[0] for r in rows]))
        exact = np.concatenate([r[1] for r in rows])
        slack = np.concatenate([r[2] for r in rows])
        print(f"{part}: {len(exact)} inputs, head term moved at most {moved.max():.3f} "
              f"(99th percentile {np.percentile(moved, 99):.3f}); the exact screen keeps "
              f"{int(exact.sum())}")
        for margin in MARGINS:
            kept = (slack + margin >= 0).any(axis=1)
            print(f"  margin {margin}: the first look keeps {int(kept.sum())} "
                  f"({kept.mean():.1%}), loses {int((exact & ~kept).sum())} the exact "
                  "screen keeps")


if __name__ == "__main__":
    main()
