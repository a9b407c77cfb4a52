"""The sentence model through ONNX Runtime: the same weights without importing torch.

Importing torch and building the sentence-transformers model costs several seconds and
hundreds of MB per process, which is most of a small draft's cold run. The model's
transformer is exported to ONNX once per machine (this step needs torch) into the user
cache beside the static table, as `onnx-<version>-<model hash>.onnx` (where the cache
cannot be written, into this process's memory, every run); later processes run it with
onnxruntime and the `tokenizers` tokenizer, and pool and normalise as
sentence-transformers does (mean over the attention mask, unit length).

The export is checked before it is used: the torch model and the exported graph embed the
same probe sentences, and unless the mean cosine is at least `MIN_MEAN_COSINE` and the
lowest at least `MIN_COSINE`, the export is marked rejected (where the cache can be
written) and the sentence model stays on torch. `TRADELENS_ENCODER=torch` switches this
backend off (docs/performance.md).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from tradelens.fileio import cached_file, write_atomically
from tradelens.vectors.encoder import token_batches, with_bar

_VERSION = "v1"
MIN_MEAN_COSINE = 0.999
MIN_COSINE = 0.99
#: Probe sentences for the export check, in the three languages the taxonomy reads.
PROBES = (
    "Each Party shall allow the cross-border transfer of information by electronic means.",
    "No Party shall require a covered person to use or locate computing facilities in "
    "that Party's territory as a condition for conducting business there.",
    "No Party shall require the transfer of, or access to, source code of software owned "
    "by a person of another Party as a condition for its import or sale.",
    "The Parties recognise the importance of cooperation on electronic commerce.",
    "Customs duties on goods listed in Annex 2 shall be reduced in five equal stages.",
    "Ninguna Parte exigirá a una persona cubierta utilizar o ubicar instalaciones "
    "informáticas en su territorio.",
    "Chaque Partie autorise le transfert transfrontières de renseignements par voie "
    "électronique.",
    "Nothing in this Chapter shall prevent a Party from adopting measures it considers "
    "necessary for the protection of its essential security interests.",
    "Article 3",
    "fees",
)


def backend_requested() -> str:
    """`onnx` (the default) or `torch`, from TRADELENS_ENCODER; `torch` also when every
    speed-up is switched off (TRADELENS_SPEEDUPS=off, `tradelens/speedups.py`)."""
    from tradelens import speedups

    if not speedups.enabled():
        return "torch"
    choice = os.environ.get("TRADELENS_ENCODER", "onnx").strip().lower()
    return choice if choice in ("onnx", "torch") else "onnx"


def available() -> bool:
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def cpu_session(graph: Path | bytes, threads: int) -> Any:  # noqa: ANN401
    """An onnxruntime session on the CPU for `graph` (a file or the serialised model):
    `threads` for each operator, one operator at a time, as every TradeLens graph runs."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    source = graph if isinstance(graph, bytes) else str(graph)
    return onnxruntime.InferenceSession(source, options, providers=["CPUExecutionProvider"])


def keep_checked(graph: bytes, path: Path, rejected: Path, passed: bool,
                 failure: str) -> Path | bytes:
    """Where a session reads a graph that was just checked: `path`, once the graph is
    written there; the bytes themselves where the cache cannot be written (decided again
    next run). A graph that failed is marked `rejected` (where it can be)."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        if not passed:
            rejected.write_text(failure + "\n")
        else:
            write_atomically(path, graph)
            return path
    return graph


class OnnxModel:
    """The exported transformer of one sentence model, with its tokenizer."""

    def __init__(self, model_dir: Path, sha256: str, cache: Path) -> None:
        self.model_dir = model_dir
        self.path = cache / f"onnx-{_VERSION}-{sha256[:16]}.onnx"
        self.rejected = self.path.with_suffix(".rejected")
        config = model_dir / "sentence_bert_config.json"
        self.max_length = int(json.loads(config.read_text()).get("max_seq_length", 256)) \
            if config.is_file() else 256
        #: where the session reads the graph: the cached file, or (a read-only cache) the
        #: bytes this process exported
        self._graph: Path | bytes = self.path
        self._session: Any = None
        self._tokenizer: Any = None
        self._threads = 0

    # -- export (torch, once per machine) ---------------------------------------------------

    def ensure(self, torch_encode) -> bool:  # noqa: ANN001 - texts -> vectors with torch
        """Export and check the graph if this machine has not yet; True if it may be used.
        The graph is kept in the cache only once it has passed; where the cache cannot be
        written, this process keeps it in memory (as the multilingual graph does)."""
        if cached_file(self.rejected):
            return False
        if cached_file(self.path):
            return True
        self._graph, self._session = self._export(), None
        reference = torch_encode(list(PROBES))
        cosines = (self.encode(list(PROBES), threads=1) * reference).sum(axis=1)
        passed = cosines.mean() >= MIN_MEAN_COSINE and cosines.min() >= MIN_COSINE
        self._graph = keep_checked(self._graph, self.path, self.rejected, passed,
                                   f"mean {cosines.mean():.6f} min {cosines.min():.6f}")
        if not passed:
            self._session = None
        return bool(passed)

    def _export(self) -> bytes:
        """The serialised graph (exported in memory: the cache may be read-only)."""
        import io
        import warnings

        import torch
        from transformers import AutoModel

        base = AutoModel.from_pretrained(str(self.model_dir)).eval()

        class Transformer(torch.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.base = base

            def forward(self, input_ids, attention_mask, token_type_ids):  # noqa: ANN001, ANN202
                return self.base(input_ids=input_ids, attention_mask=attention_mask,
                                 token_type_ids=token_type_ids).last_hidden_state

        names = ["input_ids", "attention_mask", "token_type_ids"]
        dummy = tuple(torch.ones(2, 8, dtype=torch.long) for _ in names)
        buffer = io.BytesIO()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(Transformer().eval(), dummy, buffer, input_names=names,
                              output_names=["hidden"], opset_version=17, dynamo=False,
                              dynamic_axes={n: {0: "batch", 1: "tokens"}
                                            for n in [*names, "hidden"]})
        return buffer.getvalue()

    # -- running (onnxruntime, no torch) ----------------------------------------------------

    def _load(self, threads: int) -> tuple[Any, Any]:
        if self._session is not None and self._threads != threads:
            self._session = None  # a batch worker after the all-cores preparation step
        if self._session is None:
            self._threads = threads
            from tokenizers import Tokenizer

            self._session = cpu_session(self._graph, threads)
            tokenizer = Tokenizer.from_file(str(self.model_dir / "tokenizer.json"))
            tokenizer.enable_truncation(self.max_length)
            tokenizer.no_padding()
            self._tokenizer = tokenizer
        return self._session, self._tokenizer

    def encode(self, texts: Sequence[str], threads: int = 1,
               progress: bool = False) -> np.ndarray:
        """Unit-length float32 vectors, one per text: mean of the token states over the
        attention mask, as sentence-transformers pools MiniLM. `progress`: a bar on stderr."""
        session, tokenizer = self._load(threads)
        encodings = tokenizer.encode_batch(list(texts))
        out = np.zeros((len(texts), 0), dtype=np.float32)
        batches = token_batches([len(e.ids) for e in encodings])
        for rows in with_bar(batches, progress, "sentence model"):
            width = max(len(encodings[i].ids) for i in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for n, i in enumerate(rows):
                ids[n, :len(encodings[i].ids)] = encodings[i].ids
                mask[n, :len(encodings[i].ids)] = 1
            hidden = session.run(None, {"input_ids": ids, "attention_mask": mask,
                                        "token_type_ids": np.zeros_like(ids)})[0]
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            if out.shape[1] == 0:
                out = np.zeros((len(texts), pooled.shape[1]), dtype=np.float32)
            out[rows] = pooled
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return out
