"""What every encoder offers, and the content-hash cache in front of any of them.

An encoder turns texts into unit-length float32 rows (cosine = inner product) and names
itself with a `model_id` that changes whenever its vectors would; the cache keys vectors by
(text hash, model id), so each distinct text is embedded once per model, ever.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from typing import Protocol

import numpy as np


class Encoder(Protocol):
    """Texts in, one unit-length float32 row per text out."""

    model_id: str

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        ...


class EmbeddingCache(Protocol):
    """Where vectors are looked up and kept: the workspace store, or a batch worker's
    pending cache that hands new vectors back to the main process."""

    def get_embeddings(self, hashes: Sequence[str], model_id: str) -> dict[str, np.ndarray]:
        ...

    def put_embeddings(self, vectors: dict[str, np.ndarray], model_id: str) -> None:
        ...


class MemoryCache:
    """An embedding cache in a dictionary, for a pipeline without a workspace: the exemplar
    vectors' lookup, and one `classify_clauses` call, so that a text an early step (the
    topic screen) embedded is not embedded again."""

    def __init__(self) -> None:
        self.vectors: dict[tuple[str, str], np.ndarray] = {}

    def get_embeddings(self, hashes: Sequence[str], model_id: str) -> dict[str, np.ndarray]:
        return {h: self.vectors[(model_id, h)] for h in hashes if (model_id, h) in self.vectors}

    def put_embeddings(self, vectors: dict[str, np.ndarray], model_id: str) -> None:
        self.vectors.update({(model_id, h): v for h, v in vectors.items()})


def batch_starts(total: int, size: int, progress: bool = False,
                 label: str = "embedding") -> Iterator[int]:
    """The first row of each batch of `size` among `total`; with `progress`, a bar on
    stderr counts the texts, so a large agreement's encoding shows that it moves."""
    batches = [range(start, min(start + size, total)) for start in range(0, total, size)]
    for batch in with_bar(batches, progress, label):
        yield batch.start


#: Padded tokens per batch of a transformer on the CPU. Measured (docs/performance.md,
#: 0.10.3): per token, a batch of 16 texts of 256 tokens costs 1.2 times what one text
#: alone does, and a batch padded to its longest text pays for the padding; 256 was the
#: fastest budget tried for the sentence model (on one core and on two) and, with 512,
#: for the multilingual graph (on one core).
BATCH_TOKENS = 256
BATCH_ROWS = 16


def token_batches(lengths: Sequence[int], max_rows: int = BATCH_ROWS,
                  max_tokens: int = BATCH_TOKENS) -> list[list[int]]:
    """The inputs' numbers grouped into batches, longest first: each batch at most
    `max_rows` inputs and `max_tokens` tokens once padded to its first (longest) input,
    or one input alone where that input is longer."""
    batches: list[list[int]] = []
    width = 0
    for row in sorted(range(len(lengths)), key=lambda i: -lengths[i]):
        if batches and len(batches[-1]) < max_rows and \
                (len(batches[-1]) + 1) * width <= max_tokens:
            batches[-1].append(row)
        else:
            batches.append([row])
            width = lengths[row]
    return batches


def with_bar(batches: Sequence[Sequence[int]], progress: bool = False,
             label: str = "embedding") -> Iterator[Sequence[int]]:
    """Each batch of rows in turn; with `progress`, a bar on stderr counts the rows."""
    if not progress:
        yield from batches
        return
    from tqdm import tqdm

    with tqdm(total=sum(len(b) for b in batches), desc=label, unit="clause",
              leave=False) as bar:
        for batch in batches:
            yield batch
            bar.update(len(batch))


def text_hash(text: str) -> str:
    """Cache key of a clause text: whitespace-normalised, so layout changes still hit."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def embed_with_cache(texts: Sequence[str], encoder: Encoder, cache: EmbeddingCache | None,
                     progress: bool = False,
                     hashes: Sequence[str] | None = None) -> np.ndarray:
    """Embed texts, computing each distinct text once and reusing the cache.

    `hashes` are the texts' `text_hash` values when the caller already has them.
    """
    if not texts:
        return encoder.encode([])
    hashes = list(hashes) if hashes is not None else [text_hash(t) for t in texts]
    unique: dict[str, str] = {}
    for h, t in zip(hashes, texts, strict=True):
        unique.setdefault(h, t)
    cached = cache.get_embeddings(list(unique), encoder.model_id) if cache else {}
    missing = [h for h in unique if h not in cached]
    if missing:
        fresh = encoder.encode([unique[h] for h in missing], progress=progress)
        new = dict(zip(missing, fresh, strict=True))
        if cache:
            cache.put_embeddings(new, encoder.model_id)
        cached.update(new)
    return np.vstack([cached[h] for h in hashes]).astype(np.float32)
