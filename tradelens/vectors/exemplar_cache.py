"""The exemplars' sentence vectors, kept per machine so a new workspace need not embed them.

Every new workspace used to embed the taxonomy's exemplars with the sentence model before
its first clause could be classified: about as long as the rest of a small draft's run.
The vectors depend only on the exemplar texts, the model (its hash) and the backend that
ran it (ONNX Runtime or torch), so they are kept in the user cache beside the static table
(`exemplars-<version>-<model hash>-<backend>-<texts digest>.npz`, plain arrays, no pickle)
and written atomically. A workspace that already holds some of the vectors keeps using its
own (it is asked first), and vectors taken from the file are stored in the workspace as a
fresh computation would be, so what a workspace holds does not depend on the file. The
file is written only by a run that embedded the exemplars itself (none were in its
workspace), so it holds one backend's vectors.
Off with the other speed-ups (`tradelens/speedups.py`).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from tradelens import speedups
from tradelens.fileio import write_atomically
from tradelens.vectors.encoder import EmbeddingCache, MemoryCache, embed_with_cache, text_hash
from tradelens.vectors.sentence import SentenceEncoder
from tradelens.vectors.user_cache import cache_directory

_VERSION = "v1"


def cache_file(encoder: SentenceEncoder, hashes: Sequence[str],
               directory: Path | None = None) -> Path:
    """Where these texts' vectors by this model and backend are kept."""
    digest = hashlib.sha256("\n".join(sorted(set(hashes))).encode()).hexdigest()[:16]
    name = (f"exemplars-{_VERSION}-{encoder.sha256[:16]}-{encoder.backend_name()}-"
            f"{digest}.npz")
    return (directory or cache_directory()) / name


def _read(path: Path, dimension: int | None) -> dict[str, np.ndarray]:
    """hash -> vector from the file; nothing if it is missing or not what it should be."""
    try:
        with np.load(path, allow_pickle=False) as data:
            hashes, vectors = [str(h) for h in data["hashes"]], data["vectors"]
    except (OSError, ValueError, KeyError):
        return {}
    if vectors.dtype != np.float32 or vectors.ndim != 2 or len(vectors) != len(hashes) \
            or (dimension is not None and vectors.shape[1] != dimension) \
            or not np.isfinite(vectors).all():
        return {}
    return dict(zip(hashes, vectors, strict=True))


def _write(path: Path, vectors: dict[str, np.ndarray]) -> None:
    buffer = io.BytesIO()
    np.savez(buffer, hashes=np.asarray(list(vectors)),
             vectors=np.vstack(list(vectors.values())).astype(np.float32))
    with contextlib.suppress(OSError):  # a read-only cache costs the next run the embedding
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, buffer.getvalue())


def exemplar_vectors(texts: Sequence[str], encoder: SentenceEncoder,
                     cache: EmbeddingCache | None, directory: Path | None = None) -> np.ndarray:
    """`embed_with_cache(texts, encoder, cache)`, with the machine's file of these texts'
    vectors asked after the workspace and before the model."""
    if not speedups.enabled() or not texts:
        return embed_with_cache(texts, encoder, cache)
    cache = cache if cache is not None else MemoryCache()
    hashes = [text_hash(t) for t in texts]
    unique = list(dict.fromkeys(hashes))
    held = cache.get_embeddings(unique, encoder.model_id)
    if len(held) == len(unique):
        return embed_with_cache(texts, encoder, cache, hashes=hashes)
    path = cache_file(encoder, unique, directory)
    known = _read(path, None)
    dimension = next(iter(held.values())).shape[0] if held else None
    from_file = {h: known[h] for h in unique if h not in held and h in known
                 and (dimension is None or known[h].shape[0] == dimension)}
    if from_file:
        cache.put_embeddings(from_file, encoder.model_id)
    vectors = embed_with_cache(texts, encoder, cache, hashes=hashes)
    if not held and len(from_file) < len(unique):
        # every vector came from this backend (the file or the model): keep them all
        row = {h: i for i, h in enumerate(hashes)}
        _write(path, {h: vectors[row[h]] for h in unique})
    return vectors
