"""Benchmark: the sentence model on ONNX Runtime against torch, on real ToTA clauses.

Prints the cosine between the two backends' vectors (mean and lowest: the export is
accepted at >= 0.999 and >= 0.99) and the encoding time of each, in the same run, one
thread each (as a batch worker runs). Also the start-up of each: importing and loading.

    python bench/bench_encoder.py [--clauses 3000]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

STARTUP = """
import time, sys
started = time.perf_counter()
from tradelens.vectors.sentence import SentenceEncoder
encoder = SentenceEncoder(threads=1)
encoder.encode(["No Party shall require the use of local computing facilities."])
print(time.perf_counter() - started)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tota", type=Path,
                        default=ROOT.parent / "shared" / "corpora" / "tota" / "xml")
    parser.add_argument("--clauses", type=int, default=3000)
    args = parser.parse_args()
    from tradelens.text import read_document
    from tradelens.text.segment import segment
    from tradelens.vectors.sentence import SentenceEncoder

    texts: list[str] = []
    for path in sorted(args.tota.glob("pta_*.xml")):
        texts += [c.text for c in segment(read_document(path))]
    rng = np.random.default_rng(0)
    texts = [texts[i] for i in rng.choice(len(texts), min(args.clauses, len(texts)),
                                          replace=False)]
    startup = {}
    for backend in ("onnx", "torch"):
        done = subprocess.run([sys.executable, "-c", STARTUP], cwd=ROOT, text=True,
                              capture_output=True, check=True,
                              env={**os.environ, "TRADELENS_ENCODER": backend})
        startup[backend] = float(done.stdout.split()[-1])
    os.environ["TRADELENS_ENCODER"] = "onnx"
    encoder = SentenceEncoder(threads=1)
    encoder.encode(texts[:16])  # session created
    started = time.perf_counter()
    fast = encoder.encode(texts)
    onnx_seconds = time.perf_counter() - started
    encoder._torch_encode(texts[:16])  # model loaded
    started = time.perf_counter()
    slow = encoder._torch_encode(texts)
    torch_seconds = time.perf_counter() - started
    cosines = (fast * slow).sum(axis=1)
    print(f"{len(texts)} ToTA clauses, backend used {encoder.backend}, load average "
          f"{os.getloadavg()[0]:.1f}")
    print(f"cosine onnx vs torch: mean {cosines.mean():.6f}, lowest {cosines.min():.6f}")
    print(f"encode, 1 thread: onnx {onnx_seconds:.1f} s, torch {torch_seconds:.1f} s, "
          f"ratio torch/onnx {torch_seconds / onnx_seconds:.2f}")
    print(f"start-up to the first vector: onnx {startup['onnx']:.2f} s, "
          f"torch {startup['torch']:.2f} s")


if __name__ == "__main__":
    main()
